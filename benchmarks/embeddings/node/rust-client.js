// Baseten's performance client (Rust, reqwest + tokio) through its Node binding, as a new user
// calls it: embed(all inputs) and wait for every vector. Usage: node rust-client.js <base-url> <inputs> <concurrency> <float|base64>
'use strict';
const { PerformanceClient, RequestProcessingPreference } = require('@basetenlabs/performance-client-linux-x64-gnu');

async function main() {
  const [baseUrl, countText, concurrencyText, encoding] = process.argv.slice(2);
  const count = Number(countText);
  const inputs = new Array(count);
  for (let i = 0; i < count; i++) {
    inputs[i] = 'benchmark input text number ' + i;
  }

  const client = new PerformanceClient(baseUrl.replace(/\/$/, '') + '/environments/production/sync', 'benchmark-key');
  const preference = new RequestProcessingPreference(Number(concurrencyText), 128, 600);
  const started = process.hrtime.bigint();
  const response = await client.embed(inputs, 'model', encoding, null, null, preference);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let checksum = 0;
  let empty = 0;
  let strings = 0;
  for (const item of response.data) {
    const embedding = item.embedding;
    if (typeof embedding === 'string') {
      strings++;
    } else if (!embedding || embedding.length === 0) {
      empty++;
    } else {
      checksum += embedding[0];
    }
  }

  console.log(`rust ${response.data.length} vectors in ${seconds.toFixed(2)} s (checksum ${checksum.toFixed(3)}, ${empty} empty, ${strings} left as base64 strings)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
