/** Protobuf wire types used here. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const encoder = new TextEncoder();

/**
 * Writes the protobuf wire format by hand, for the few field types TensorBoard's messages need.
 * Fields go out in the order written; callers write them by field number, as protoc does. As in
 * proto3, a number field holding 0 is left out, unless it is a member of a `oneof` (`explicit`).
 *
 * @example
 * const bytes = new ProtoWriter().double(1, wallTime).int64(2, step).string(3, 'brain.Event:2').finish();
 */
export class ProtoWriter {
  #bytes = new Uint8Array(64);
  #length = 0;

  /** A `double` field; `explicit` writes it even when 0 (a `oneof` member). */
  double(field: number, value: number, explicit = false): this {
    if (!explicit && Object.is(value, 0)) return this;
    this.#tag(field, FIXED64);
    new DataView(this.#reserve(8).buffer).setFloat64(this.#length - 8, value, true);
    return this;
  }

  /** A `float` field (rounded to 32 bits); `explicit` writes it even when 0. */
  float(field: number, value: number, explicit = false): this {
    if (!explicit && Object.is(value, 0)) return this;
    this.#tag(field, FIXED32);
    new DataView(this.#reserve(4).buffer).setFloat32(this.#length - 4, value, true);
    return this;
  }

  /**
   * An `int64`, `int32` or enum field (all varints); negative values take ten bytes, as in two's
   * complement. `explicit` writes it even when 0.
   */
  int64(field: number, value: number, explicit = false): this {
    if (!explicit && value === 0) return this;
    this.#tag(field, VARINT);
    this.#varint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  /** A `bool` field; `explicit` writes it even when false (a `oneof` member). */
  bool(field: number, value: boolean, explicit = false): this {
    return this.int64(field, value ? 1 : 0, explicit);
  }

  /** A `string` field (UTF-8); an empty one is left out. */
  optionalString(field: number, value: string | undefined): this {
    return value === undefined || value === '' ? this : this.string(field, value);
  }

  /** A `string` field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, encoder.encode(value));
  }

  /** A `bytes` field, or an embedded message given as its encoding. */
  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, LENGTH_DELIMITED);
    this.#varint(BigInt(value.length));
    this.#reserve(value.length).set(value, this.#length - value.length);
    return this;
  }

  /** A packed `repeated double` field. */
  packedDoubles(field: number, values: readonly number[]): this {
    const packed = new Uint8Array(values.length * 8);
    const view = new DataView(packed.buffer);
    values.forEach((v, i) => view.setFloat64(i * 8, v, true));
    return this.bytes(field, packed);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  #tag(field: number, wireType: number): void {
    this.#varint(BigInt((field << 3) | wireType));
  }

  #varint(value: bigint): void {
    let v = value;
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      this.#reserve(1)[this.#length - 1] = v > 0n ? byte | 0x80 : byte;
    } while (v > 0n);
  }

  /** Grows the buffer so `n` more bytes fit, advances the length, and returns the buffer. */
  #reserve(n: number): Uint8Array {
    if (this.#length + n > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + n));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    this.#length += n;
    return this.#bytes;
  }
}
