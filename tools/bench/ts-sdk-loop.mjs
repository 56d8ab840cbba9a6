// One timed run of the TypeScript SDK contender: Codat's @codat/files SDK, one uploadFiles call per file, as its
// README shows. Started by Invoke-CodatFilesBench.ps1 with the SDK installed under out/bench/ts-sdk (never a
// dependency of the module). Arguments: sdkFolder serverUrl apiKey companyId connectionId directory.
// Prints one line of JSON: ElapsedSec, Items, ErrorCount, Errors, PeakWorkingSet (bytes, max resident set).
import { createRequire } from "node:module";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const [sdkFolder, serverURL, apiKey, companyId, connectionId, directory] = process.argv.slice(2);
const require = createRequire(path.join(sdkFolder, "package.json"));
const { CodatFiles } = require("@codat/files");

const sdk = new CodatFiles({
  serverURL,
  security: { authHeader: "Basic " + Buffer.from(apiKey, "utf8").toString("base64") },
});

const names = (await readdir(directory)).sort();
const errors = [];
let items = 0;
const started = process.hrtime.bigint();
for (const name of names) {
  try {
    const content = await readFile(path.join(directory, name));
    const res = await sdk.files.uploadFiles({
      fileUpload: { file: { content: new Uint8Array(content), fileName: name } },
      companyId,
      connectionId,
    });
    if (res.statusCode === 200) items++;
    else errors.push(`status ${res.statusCode} for ${name}`);
  } catch (error) {
    errors.push(`${name}: ${error?.message ?? error}`);
  }
}
const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({
  ElapsedSec: elapsedSec,
  Items: items,
  ErrorCount: errors.length,
  Errors: errors.slice(0, 3),
  PeakWorkingSet: process.resourceUsage().maxRSS * 1024,
}));
