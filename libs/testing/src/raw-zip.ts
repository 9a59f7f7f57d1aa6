import { crc32, deflateRawSync } from 'node:zlib';

/** One entry of a hand-made zip; every field a zip tool would get right can be made to lie. */
export interface RawZipEntry {
  /** The name as written (a Buffer for bytes that are not UTF-8). */
  name: string | Buffer;
  /** What the entry really holds, uncompressed. */
  data: Buffer;
  /** Store the data deflated (default: stored as is). */
  deflate?: boolean;
  /** The CRC-32 the headers declare (default: the true one). */
  crc32?: number;
  /** The uncompressed size the headers declare (default: the true one). */
  size?: number;
  /** The compression method the headers declare (default: 8 when deflated, else 0). */
  method?: number;
  /** General purpose flags (bit 0: encrypted, bit 11: UTF-8 name). */
  flags?: number;
  /** A Unix file mode for the external attributes, e.g. 0o120777 for a symbolic link. */
  unixMode?: number;
  /** Point this entry's directory record at the local header and data of an earlier entry. */
  sameDataAs?: number;
}

/**
 * Writes a zip byte by byte (tests only): the valid structure of a zip file — local headers, data,
 * central directory, end record — around entries whose declared sizes, checksums, methods, modes or
 * offsets may lie, which no zip library will write.
 */
export function rawZip(entries: readonly RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const [index, entry] of entries.entries()) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const stored = entry.deflate ? deflateRawSync(entry.data) : entry.data;
    const method = entry.method ?? (entry.deflate ? 8 : 0);
    const crc = entry.crc32 ?? crc32(entry.data);
    const size = entry.size ?? entry.data.length;
    const flags = entry.flags ?? (typeof entry.name === 'string' ? 0x800 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    let localOffset = offset;
    if (entry.sameDataAs === undefined) {
      locals.push(local, name, stored);
      offset += local.length + name.length + stored.length;
    } else {
      localOffset = offsets[entry.sameDataAs];
    }
    offsets[index] = localOffset;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.unixMode === undefined ? 20 : (3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.unixMode ?? 0) << 16) >>> 0, 38);
    central.writeUInt32LE(localOffset, 42);
    centrals.push(central, name);
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
