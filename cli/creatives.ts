import { parseArgs } from "node:util";
import packageJson from "../package.json" with { type: "json" };
import { ApiClient, CliError } from "./api-client";
import { downloadCommand } from "./commands/download";
import { generateCommand } from "./commands/generate";
import { historyCommand } from "./commands/history";

const HELP = `creatives: make ad creatives from the command line, on an Ad Creative Generator server.

Usage:
  creatives generate --brief brief.json [--count 8] [--format story | --formats instagram-square,story]
                     [--provider builtin] [--model ID] [--seed N]
                     [--variants copy] [--copy-writer offline] [--logo logo.svg] [--product shoe.png] [--out ./ads]
      Starts a run, shows each image's progress, follows the run through dropped connections
      (Last-Event-ID), and saves the finished ads and creatives.json in --out
      (default ./creatives-JOB). The brief is a JSON object: productName, productDescription,
      targetAudience, and optionally style, tone, format, count, provider, model, seed, design.
      --logo and --product upload those files first and put them in the design. --variants says
      what the set differs in (picture, copy, layout or all); --copy-writer who writes its copy.
      --formats makes the set in each format (one run each, from the same scenes and uploads),
      saved in --out/<format>/.
  creatives history [--limit 20] [--json]
      The workspace's runs, newest first.
  creatives download JOB [--out ./ads]
      A run's finished ads and creatives.json (a run still going is followed to its end first).

Connection (flags first, then the environment):
  --server URL     or CREATIVES_SERVER   (default http://127.0.0.1:3000)
  --token TOKEN    or CREATIVES_TOKEN    an API token from the Workspace page (not needed with AUTH=off)

Exit codes: 0 all made and saved; 1 an error (the message says what to do); 2 the run ended with
images not made (the others are saved).
`;

export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      server: { type: "string" },
      token: { type: "string" },
      brief: { type: "string" },
      count: { type: "string" },
      format: { type: "string" },
      formats: { type: "string" },
      variants: { type: "string" },
      "copy-writer": { type: "string" },
      provider: { type: "string" },
      model: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      logo: { type: "string" },
      product: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.version) {
    out.write(`${packageJson.version}\n`);
    return 0;
  }
  if (values.help || !command) {
    out.write(HELP);
    return command || values.help ? 0 : 1;
  }
  const server = (values.server ?? process.env.CREATIVES_SERVER ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(server)) throw new CliError(`--server must be an http(s) address such as http://127.0.0.1:3000 (got "${server}").`);
  const client = new ApiClient({ server, token: values.token ?? (process.env.CREATIVES_TOKEN || undefined) });
  switch (command) {
    case "generate":
      if (!values.brief) throw new CliError("generate needs --brief brief.json (a JSON object with productName, productDescription and targetAudience).");
      return generateCommand(client, { ...values, brief: values.brief, copyWriter: values["copy-writer"] }, out);
    case "history":
      return historyCommand(client, values, out);
    case "download":
      return downloadCommand(client, rest[0], values, out);
    default:
      throw new CliError(`No command "${command}": use generate, history or download (creatives --help).`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof CliError || (error as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS") ? (error as Error).message : `Unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    process.stderr.write(`creatives: ${message}\n`);
    process.exitCode = 1;
  },
);
