import Link from "next/link";
import packageJson from "@/package.json";
import { apiPaths } from "@/lib/api-paths";
import { env } from "@/lib/server/env";
import { openApiDocument, STREAM_EVENTS } from "@/lib/server/http/openapi/openapi-document";

export const dynamic = "force-dynamic";

const METHODS = ["get", "post", "patch", "delete"] as const;

interface Operation {
  summary: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}

const schemaName = (ref: string | undefined) => ref?.split("/").pop();

/** The document's descriptions mark code with backticks, as OpenAPI's Markdown does. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}
    </>
  );
}

/** The OpenAPI document, readable: every operation, its parameters, body and answers, then the schemas. */
export default function ApiDocsPage() {
  const document = openApiDocument({ version: packageJson.version, auth: env().AUTH === "on" });
  const paths = document.paths as unknown as Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  return (
    <main className="page page--narrow api-docs">
      <header className="page-header">
        <div>
          <h1>API reference</h1>
          <p>
            <Prose text={document.info.description} />
          </p>
          <p>
            Machine-readable: <a href={apiPaths.openApi}>{apiPaths.openApi}</a> (OpenAPI {document.openapi}). From a terminal: <code>npx creatives --help</code>.
          </p>
        </div>
        <nav aria-label="Main">
          <Link href="/">New campaign</Link>
        </nav>
      </header>
      {Object.entries(paths).flatMap(([path, operations]) =>
        METHODS.filter((method) => operations[method]).map((method) => {
          const operation = operations[method]!;
          const body = operation.requestBody && Object.entries(operation.requestBody.content)[0];
          return (
            <section key={`${method} ${path}`} className="api-operation" aria-label={`${method.toUpperCase()} ${path}`}>
              <h2>
                <span className={`api-method api-method--${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
              </h2>
              <p>{operation.summary}</p>
              {operation.description && (
                <p className="field-note">
                  <Prose text={operation.description} />
                </p>
              )}
              {operation.parameters && operation.parameters.length > 0 && (
                <ul>
                  {operation.parameters.map((parameter) => (
                    <li key={parameter.name}>
                      <code>{parameter.name}</code> ({parameter.in}){parameter.description ? `: ${parameter.description}` : ""}
                    </li>
                  ))}
                </ul>
              )}
              {body && (
                <p>
                  Body: <code>{body[0]}</code> {schemaName(body[1].schema?.$ref) && <a href={`#schema-${schemaName(body[1].schema?.$ref)}`}>{schemaName(body[1].schema?.$ref)}</a>}
                </p>
              )}
              <ul className="api-responses">
                {Object.entries(operation.responses).map(([status, response]) => {
                  const content = response.content && Object.entries(response.content)[0];
                  const named = schemaName(content?.[1].schema?.$ref);
                  return (
                    <li key={status}>
                      <strong>{status}</strong> <Prose text={response.description.split("\n")[0]!} /> {named && <a href={`#schema-${named}`}>{named}</a>}
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        }),
      )}
      <section aria-labelledby="events-title">
        <h2 id="events-title">Events of a run&apos;s stream</h2>
        <p>Logged events carry an id: reconnect with <code>Last-Event-ID</code> to get exactly what came after it.</p>
        <ul>
          {Object.entries(STREAM_EVENTS).map(([name, event]) => (
            <li key={name}>
              <code>{name}</code> (<a href={`#schema-${event.schema}`}>{event.schema}</a>
              {event.logged ? "" : ", no id"}): <Prose text={event.what} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="schemas-title">
        <h2 id="schemas-title">Schemas</h2>
        {Object.entries(document.components.schemas).map(([name, schema]) => (
          <details key={name} id={`schema-${name}`} className="api-schema">
            <summary>{name}</summary>
            <pre>{JSON.stringify(schema, null, 2)}</pre>
          </details>
        ))}
      </section>
    </main>
  );
}
