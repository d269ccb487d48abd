#!/usr/bin/env python3
"""Writes the fuzzer's seed inputs into Fuzz/corpus: one small, well-formed file per container
and marker kind, built byte by byte (the same shapes as the Swift tests' fixture builder), so
libFuzzer starts from inputs that reach deep into every parser.

usage: Fuzz/make-seeds.py [OUTDIR]      (needs the `brotli` module from PyPI for the c2cm seed)
"""
import os
import struct
import sys
import zlib

DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def cbor(value):
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        if n < 256:
            return bytes([major << 5 | 24, n])
        if n < 65536:
            return bytes([major << 5 | 25]) + struct.pack(">H", n)
        return bytes([major << 5 | 26]) + struct.pack(">I", n)
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())


def box(kind, payload):
    return struct.pack(">I", len(payload) + 8) + kind + payload


def superbox(content_type, label, children):
    uuid = content_type + bytes.fromhex("00110010800000aa00389b71")
    return box(b"jumb", box(b"jumd", uuid + b"\x03" + label.encode() + b"\0") + b"".join(children))


def manifest(label, source_type, v1=False):
    action = {"action": "c2pa.created", "digitalSourceType": DST + source_type,
              "softwareAgent": "Gen 1" if v1 else {"name": "Gen", "version": "1"}}
    actions = superbox(b"cbor", "c2pa.actions" if v1 else "c2pa.actions.v2", [box(b"cbor", cbor({"actions": [action]}))])
    claim = {"claim_generator": "tool/1.0"} if v1 else {"claim_generator_info": {"name": "tool", "version": "1.0"}}
    claim["instanceID"] = "xmp:iid:" + label
    return superbox(b"c2ma", label, [superbox(b"c2as", "c2pa.assertions", [actions]),
                                     superbox(b"c2cl", "c2pa.claim" if v1 else "c2pa.claim.v2", [box(b"cbor", cbor(claim))])])


def store(*manifests):
    return superbox(b"c2pa", "c2pa", list(manifests))


def xmp(body):
    return ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
            + body + "</rdf:Description></rdf:RDF></x:xmpmeta>").encode()


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg(segments):
    return b"\xff\xd8" + b"".join(segments) + b"\xff\xda\x00\x02\x11\x22\xff\xd9"


def app11(data, chunk=200):
    header, body = data[:8], data[8:]
    pieces = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]
    return [segment(0xEB, b"JP\x00\x01" + struct.pack(">I", n + 1) + header + piece) for n, piece in enumerate(pieces)]


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(chunks):
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + b"".join(chunks) + png_chunk(b"IDAT", zlib.compress(b"\0\0")) + png_chunk(b"IEND", b""))


def riff(form, chunks):
    body = form + b"".join(kind + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
                           for kind, data in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def seeds():
    generated = store(manifest("urn:a", "trainedAlgorithmicMedia"))
    two = store(manifest("urn:ingredient", "trainedAlgorithmicMedia", v1=True), manifest("urn:active", "digitalCapture"))
    dst = xmp("<Iptc4xmpExt:DigitalSourceType>" + DST + "trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>"
              "<Iptc4xmpExt:AISystemUsed>X</Iptc4xmpExt:AISystemUsed><dcterms:provenance>https://m.example/a</dcterms:provenance>"
              "<xmp:CreatorTool>Midjourney</xmp:CreatorTool>")
    yield "jpeg-app11.jpg", jpeg(app11(two))
    yield "jpeg-xmp.jpg", jpeg([segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + dst)])
    ext = b"http://ns.adobe.com/xmp/extension/\0" + b"A" * 32 + struct.pack(">II", len(dst), 0) + dst
    yield "jpeg-extended-xmp.jpg", jpeg([segment(0xE1, ext)])
    comment = b"ASCII\0\0\0Steps: 20, Sampler: Euler"
    tiff = b"II*\0" + struct.pack("<I", 8) + struct.pack("<HHHII", 1, 0x8769, 4, 1, 26) + struct.pack("<I", 0) \
        + struct.pack("<HHHII", 1, 0x9286, 7, len(comment), 44) + struct.pack("<I", 0) + comment
    yield "jpeg-exif.jpg", jpeg([segment(0xE1, b"Exif\0\0" + tiff)])
    yield "png-cabx.png", png([png_chunk(b"caBX", generated)])
    yield "png-text.png", png([png_chunk(b"tEXt", b"parameters\0Steps: 20"),
                               png_chunk(b"zTXt", b"workflow\0\0" + zlib.compress(b'{"nodes":[]}')),
                               png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\x01\0\0\0" + zlib.compress(dst))])
    c2pa_box = box(b"uuid", C2PA_UUID + b"\0\0\0\0manifest\0" + b"\0" * 8 + generated)
    yield "bmff.mp4", (box(b"ftyp", b"isom\0\0\x02\0isommp41") + c2pa_box
                       + box(b"moov", box(b"udta", box(b"XMP_", dst)) + box(b"uuid", XMP_UUID + dst)) + box(b"mdat", b"\0" * 8))
    yield "riff.wav", riff(b"WAVE", [(b"fmt ", b"\0" * 16), (b"LIST", b"INFO"), (b"C2PA", generated), (b"_PMX", dst)])
    yield "riff.webp", riff(b"WEBP", [(b"VP8X", b"\0" * 10), (b"XMP ", dst)])
    entry = struct.pack("<HHII", 0xCD41, 7, len(generated), 38) + struct.pack("<HHII", 700, 7, len(dst), 38 + len(generated))
    yield "tiff.tif", b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 2) + entry + struct.pack("<I", 0) + generated + dst
    yield "store.c2pa", two
    yield "png-exif.png", png([png_chunk(b"eXIf", tiff)])
    yield "riff-exif.webp", riff(b"WEBP", [(b"VP8X", b"\0" * 10), (b"EXIF", b"Exif\0\0" + tiff)])
    audio = b"\0" * 64
    ds64 = struct.pack("<QQQI", 0, len(audio), 0, 0)
    body = (b"WAVE" + b"ds64" + struct.pack("<I", len(ds64)) + ds64 + b"fmt " + struct.pack("<I", 16) + b"\0" * 16
            + b"data\xff\xff\xff\xff" + audio + b"C2PA" + struct.pack("<I", len(generated)) + generated)
    body = body[:12] + struct.pack("<Q", len(body)) + body[20:]
    yield "rf64.wav", b"RF64\xff\xff\xff\xff" + body
    try:
        import brotli
    except ImportError:
        print("note: no `brotli` module; the compressed-manifest seed is left as it is", file=sys.stderr)
        return
    inner = manifest("urn:c", "compositeWithTrainedAlgorithmicMedia")
    yield "compressed.c2pa", store(superbox(b"c2cm", "urn:c", [box(b"brob", b"jumb" + brotli.compress(inner[8:]))]))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
