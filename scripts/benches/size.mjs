// Size of the static site, raw and gzip -9 (what a static host serves compressed).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { requireFile, root } from './_util.mjs';

export async function run() {
  const site = path.join(root, 'build', 'web', 'site');
  requireFile(path.join(site, 'index.html'), 'run scripts/build.sh web');
  let raw = 0, gz = 0;
  const files = [];
  for (const f of fs.readdirSync(site).sort()) {
    const p = path.join(site, f);
    if (!fs.statSync(p).isFile()) continue;
    const data = fs.readFileSync(p);
    const z = zlib.gzipSync(data, { level: 9 }).length;
    raw += data.length;
    gz += z;
    files.push({ file: f, bytes: data.length, gzip: z });
    console.log(`${f.padEnd(24)} ${String(data.length).padStart(10)} B   gzip ${String(z).padStart(9)} B`);
  }
  console.log(`${'total'.padEnd(24)} ${String(raw).padStart(10)} B   gzip ${String(gz).padStart(9)} B  (${(gz / 1048576).toFixed(2)} MiB; goal <= 3 MiB)`);
  return { files, bytes: raw, gzip_bytes: gz };
}
