/**
 * How long a piece of copy is against its limit, under its field. The field itself takes any
 * length (a browser's maxLength cuts pasted copy mid-word without a word); past the limit the
 * counter turns red and the field's error says by how much, and nothing is sent until it fits.
 */
export function LengthCounter({ id, value, limit }: { id: string; value: string; limit: number }) {
  const length = value.trim().length;
  const over = length > limit;
  return (
    <span id={id} className={over ? "length-counter length-counter--over" : "length-counter"} data-testid="length-counter">
      {length} / {limit}
      {over ? ` (${length - limit} over)` : ""}
    </span>
  );
}
