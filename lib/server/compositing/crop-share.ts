/** How much of a picture is cut away when it is cropped (cover) to another shape: 0 for the same shape. */
export function cropShareOf(picture: { width: number; height: number }, target: { width: number; height: number }): number {
  const pictureRatio = picture.width / picture.height;
  const targetRatio = target.width / target.height;
  return 1 - Math.min(pictureRatio, targetRatio) / Math.max(pictureRatio, targetRatio);
}
