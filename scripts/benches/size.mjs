// Size of the static site, raw and gzip -9 (what a static host serves compressed): every file,
// what the first frame needs (the page, its scripts and the wasm; budget 3 MiB) and the whole
// site with the files loaded beside or after the first frame (counties.bin, the gazetteer geo.tsv;
// budget 6 MiB).
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
  const firstFrame = files.filter((f) => /\.(wasm|js|html)$/.test(f.file) && f.file !== 'sw.js');
  const ffGz = firstFrame.reduce((n, f) => n + f.gzip, 0);
  console.log(`${'first frame'.padEnd(24)} ${' '.repeat(10)}     gzip ${String(ffGz).padStart(9)} B  (${(ffGz / 1048576).toFixed(2)} MiB; goal <= 3 MiB: ${firstFrame.map((f) => f.file).join(', ')})`);
  console.log(`${'total'.padEnd(24)} ${String(raw).padStart(10)} B   gzip ${String(gz).padStart(9)} B  (${(gz / 1048576).toFixed(2)} MiB; goal <= 6 MiB)`);
  return { files, bytes: raw, gzip_bytes: gz, first_frame_gzip_bytes: ffGz };
}
