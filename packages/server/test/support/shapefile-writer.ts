/**
 * A minimal ESRI shapefile writer for tests (polygons only): `.shp`, `.shx`, `.dbf` with text
 * fields, as the ONS Open Geography Portal publishes them. Outer rings are written clockwise and
 * holes anticlockwise, as the format requires.
 */
export type Ring = [number, number][];

export interface ShapeRecord {
  /** Polygons, each a list of rings (outer first). */
  polygons: Ring[][];
  attributes: Record<string, string>;
}

function signedArea(r: Ring): number {
  let a = 0;
  for (let i = 0; i < r.length - 1; i++) a += r[i]![0] * r[i + 1]![1] - r[i + 1]![0] * r[i]![1];
  return a / 2;
}

const oriented = (r: Ring, clockwise: boolean): Ring => ((signedArea(r) < 0) === clockwise ? r : [...r].reverse());

export function writeShapefile(records: ShapeRecord[], fields: string[]): { shp: Buffer; shx: Buffer; dbf: Buffer } {
  const contents = records.map((rec) => {
    const rings = rec.polygons.flatMap((p) => p.map((r, i) => oriented(r, i === 0)));
    const points = rings.flat();
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const buf = Buffer.alloc(44 + 4 * rings.length + 16 * points.length);
    buf.writeInt32LE(5, 0);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => {
      buf.writeDoubleLE(v, 4 + 8 * i);
    });
    buf.writeInt32LE(rings.length, 36);
    buf.writeInt32LE(points.length, 40);
    let start = 0;
    rings.forEach((r, i) => {
      buf.writeInt32LE(start, 44 + 4 * i);
      start += r.length;
    });
    points.forEach((p, i) => {
      buf.writeDoubleLE(p[0], 44 + 4 * rings.length + 16 * i);
      buf.writeDoubleLE(p[1], 52 + 4 * rings.length + 16 * i);
    });
    return { buf, xs, ys };
  });
  const header = (lengthBytes: number) => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(lengthBytes / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(5, 32);
    const xs = contents.flatMap((c) => c.xs);
    const ys = contents.flatMap((c) => c.ys);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => {
      h.writeDoubleLE(v, 36 + 8 * i);
    });
    return h;
  };
  const shpParts: Buffer[] = [];
  const shxParts: Buffer[] = [];
  let offset = 100;
  contents.forEach((c, i) => {
    const rh = Buffer.alloc(8);
    rh.writeInt32BE(i + 1, 0);
    rh.writeInt32BE(c.buf.length / 2, 4);
    shpParts.push(rh, c.buf);
    const ix = Buffer.alloc(8);
    ix.writeInt32BE(offset / 2, 0);
    ix.writeInt32BE(c.buf.length / 2, 4);
    shxParts.push(ix);
    offset += 8 + c.buf.length;
  });
  const shp = Buffer.concat([header(offset), ...shpParts]);
  const shx = Buffer.concat([header(100 + 8 * records.length), ...shxParts]);
  return { shp, shx, dbf: writeDbf(records.map((r) => r.attributes), fields) };
}

function writeDbf(rows: Record<string, string>[], fields: string[]): Buffer {
  const widths = fields.map((f) => Math.max(1, ...rows.map((r) => Buffer.byteLength(r[f] ?? ""))));
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  const h = Buffer.alloc(headerLength);
  h.writeUInt8(0x03, 0);
  h.writeUInt8(124, 1);
  h.writeUInt8(1, 2);
  h.writeUInt8(1, 3);
  h.writeUInt32LE(rows.length, 4);
  h.writeUInt16LE(headerLength, 8);
  h.writeUInt16LE(recordLength, 10);
  fields.forEach((f, i) => {
    h.write(f.slice(0, 10), 32 + 32 * i, "latin1");
    h.write("C", 32 + 32 * i + 11, "latin1");
    h.writeUInt8(widths[i]!, 32 + 32 * i + 16);
  });
  h.writeUInt8(0x0d, headerLength - 1);
  const body = Buffer.alloc(rows.length * recordLength + 1, 0x20);
  rows.forEach((r, j) => {
    let at = j * recordLength + 1;
    fields.forEach((f, i) => {
      body.write(r[f] ?? "", at, "utf8");
      at += widths[i]!;
    });
  });
  body.writeUInt8(0x1a, body.length - 1);
  return Buffer.concat([h, body]);
}
