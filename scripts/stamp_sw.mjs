#!/usr/bin/env node
// Stamps the service worker of a built site with a hash of the site's files, so a new build
// replaces the offline cache:  node scripts/stamp_sw.mjs SITE_DIR
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const site = process.argv[2];
const sw = path.join(site, 'sw.js');
const h = crypto.createHash('sha256');
for (const f of fs.readdirSync(site).sort()) {
  if (f === 'sw.js') continue;
  const p = path.join(site, f);
  if (fs.statSync(p).isFile()) h.update(f).update(fs.readFileSync(p));
}
const stamp = h.digest('hex').slice(0, 16);
fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/const BUILD = '[^']*';/, `const BUILD = '${stamp}';`));
