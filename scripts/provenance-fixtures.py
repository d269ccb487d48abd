#!/usr/bin/env python3
"""Makes GenAI provenance fixtures for `clearance scan`, and the verdict each one should get.

C2PA manifests are signed with the reference SDK (c2pa-python) using a throwaway certificate
chain made with the openssl CLI for this run; XMP is written with exiftool where it can write the
container and injected by hand where it cannot (WAV/AVI `_PMX`, JPEG extended XMP); generator
text chunks and the odd formats are written by hand. The small base images (JPEG, PNG, TIFF,
WebP, AVI, HEIF) are made here without Pillow; MP4/MOV/M4A and WAV start from the shared
fixtures video1.mp4 (with its manifest and XMP blanked out) and sample1.wav. The shared folder is
$CLEARANCE_SHARED/fixtures/provenance, by default ../shared next to the repository; when it is
not there, a tiny hand-made MP4 and WAV stand in, and the fixtures that need the shared C.jpg
are skipped (and left out of expected.json).

OUTDIR gets one folder per kind (c2pa, sidecar, remote, xmp, heuristic, combo, unknown) and
expected.json: [{"path": relative path, "verdict": ..., "note": ...}]. Signatures, UUIDs and
timestamps differ between runs; the file set and the verdicts do not.

usage: scripts/provenance-fixtures.py OUTDIR
"""
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import c2pa

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.environ.get("CLEARANCE_SHARED", os.path.join(os.path.dirname(REPO), "shared")),
                      "fixtures", "provenance")
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
KINDS = ("c2pa", "sidecar", "remote", "xmp", "heuristic", "combo", "unknown")
AGENT = {"name": "ExampleDiffusion", "version": "2.1"}
SD_PARAMETERS = ("a lighthouse on a cliff at dusk, volumetric light\n"
                 "Negative prompt: blurry, lowres\n"
                 "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 1234567, "
                 "Size: 512x512, Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Version: v1.9.4")


# ---------------------------------------------------------------------------- base media

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(before_idat=(), after_idat=(), size=16):
    """An RGB gradient PNG; extra chunks are (type, data) pairs placed around IDAT."""
    rows = b"".join(b"\x00" + b"".join(bytes(((x * 16) % 256, (y * 16) % 256, 128))
                                       for x in range(size)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + b"".join(png_chunk(k, d) for k, d in before_idat)
            + png_chunk(b"IDAT", zlib.compress(rows, 9))
            + b"".join(png_chunk(k, d) for k, d in after_idat)
            + png_chunk(b"IEND", b""))


def text_chunk(kind, key, value):
    """A PNG tEXt, zTXt or iTXt (compressed) chunk as a (type, data) pair."""
    key = key.encode("latin-1")
    if kind == "tEXt":
        return b"tEXt", key + b"\0" + value.encode("latin-1")
    if kind == "zTXt":
        return b"zTXt", key + b"\0\0" + zlib.compress(value.encode("latin-1"))
    if kind == "iTXt":
        return b"iTXt", key + b"\0\x01\0" + b"\0" + b"\0" + zlib.compress(value.encode("utf-8"))
    raise ValueError(kind)


def jpeg_segment(marker, payload):
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def make_jpeg(width=64, height=48):
    """A flat grey baseline greyscale JPEG. Each Huffman table holds a single one-bit code (DC
    category 0, AC end-of-block), so every 8x8 block is the two bits 00."""
    table = bytes([1] + [0] * 15) + b"\x00"
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    nbits = 2 * blocks
    nbytes = (nbits + 7) // 8
    scan = ((1 << (nbytes * 8 - nbits)) - 1).to_bytes(nbytes, "big")  # padding bits are ones
    return (b"\xff\xd8"
            + jpeg_segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
            + jpeg_segment(0xDB, b"\x00" + b"\x01" * 64)
            + jpeg_segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
            + jpeg_segment(0xC4, b"\x00" + table + b"\x10" + table)
            + jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + scan.replace(b"\xff", b"\xff\x00") + b"\xff\xd9")


def jpeg_insert(jpeg, segments):
    """Inserts whole marker segments right after SOI and the JFIF APP0."""
    at = 2
    if jpeg[2:4] == b"\xff\xe0":
        at = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:at] + b"".join(segments) + jpeg[at:]


def make_tiff(size=16):
    """An uncompressed little-endian greyscale TIFF."""
    pixels = bytes((x * 16 + y) % 256 for y in range(size) for x in range(size))
    tags = [(256, 3, size), (257, 3, size), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, 8), (277, 3, 1), (278, 3, size), (279, 4, len(pixels))]
    ifd = struct.pack("<H", len(tags))
    for tag, kind, value in tags:
        ifd += struct.pack("<HHI", tag, kind, 1)
        ifd += struct.pack("<I", value) if kind == 4 else struct.pack("<HH", value, 0)
    ifd += b"\0\0\0\0"
    return b"II*\0" + struct.pack("<I", 8 + len(pixels)) + pixels + ifd


def make_webp(size=16, argb=(255, 200, 40, 90)):
    """A one-colour lossless WebP: every prefix code is a simple code with one symbol, so the
    pixels themselves take no bits."""
    bits = []

    def put(value, count):
        bits.extend((value >> i) & 1 for i in range(count))
    put(0x2F, 8)
    put(size - 1, 14)
    put(size - 1, 14)
    put(0, 1)
    put(0, 3)
    put(0, 1)  # no transform
    put(0, 1)  # no colour cache
    put(0, 1)  # no meta prefix codes
    alpha, red, green, blue = argb
    for symbol in (green, red, blue, alpha):
        put(1, 1)
        put(0, 1)
        put(1, 1)
        put(symbol, 8)
    put(1, 1)  # distance code: one 1-bit symbol
    put(0, 1)
    put(0, 1)
    put(0, 1)
    bits.extend([0] * (-len(bits) % 8))
    data = bytes(sum(bits[i + j] << j for j in range(8)) for i in range(0, len(bits), 8))
    return riff(b"WEBP", [(b"VP8L", data)])


def riff_chunk(fourcc, data):
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def riff(form, chunks):
    body = form + b"".join(riff_chunk(c, d) for c, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def riff_append(data, fourcc, payload):
    """Appends a chunk to a RIFF file and fixes the RIFF size."""
    out = data + riff_chunk(fourcc, payload)
    return out[:4] + struct.pack("<I", len(out) - 8) + out[8:]


def make_avi():
    """A one-frame uncompressed 16x16 AVI."""
    avih = struct.pack("<14I", 40000, 0, 0, 0x10, 1, 0, 1, 0, 16, 16, 0, 0, 0, 0)
    strh = b"vidsDIB " + struct.pack("<IHHIIIIIIIIHHHH", 0, 0, 0, 0, 1, 25, 0, 1, 768,
                                      0xFFFFFFFF, 0, 0, 0, 16, 16)
    strf = struct.pack("<IiiHHIIiiII", 40, 16, 16, 1, 24, 0, 768, 0, 0, 0, 0)
    strl = riff_chunk(b"LIST", b"strl" + riff_chunk(b"strh", strh) + riff_chunk(b"strf", strf))
    hdrl = b"hdrl" + riff_chunk(b"avih", avih) + strl
    movi = b"movi" + riff_chunk(b"00db", bytes(768))
    return riff(b"AVI ", [(b"LIST", hdrl), (b"LIST", movi),
                          (b"idx1", b"00db" + struct.pack("<III", 0x10, 4, 768))])


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def make_heif():
    """The smallest HEIF-branded ISO BMFF file c2pa signs: ftyp, a meta with hdlr 'pict' and
    pitm, and an mdat."""
    hdlr = box(b"hdlr", b"\0\0\0\0" + b"\0\0\0\0pict" + b"\0" * 12 + b"\0")
    meta = box(b"meta", b"\0\0\0\0" + hdlr + box(b"pitm", b"\0\0\0\0" + b"\0\x01"))
    return box(b"ftyp", b"heic\0\0\0\0mif1heic") + meta + box(b"mdat", bytes(64))


def shared_file(name):
    """The path of a file in the shared fixtures' c2pa-rs folder, or None if it is not there."""
    path = os.path.join(SHARED, "c2pa-rs", name)
    return path if os.path.isfile(path) else None


def full_box(kind, version, flags, payload):
    return box(kind, struct.pack(">I", (version << 24) | flags) + payload)


def make_tiny_mp4():
    """A hand-made MP4 with one sound track (a single 'sowt' PCM sample description) whose
    sample tables are empty, and a small mdat: ftyp, moov (mvhd, trak with tkhd and mdia:
    mdhd, hdlr 'soun', minf: smhd, dinf/dref, stbl: stsd, stts, stsc, stsz, stco) and mdat.
    c2pa-python signs it and exiftool writes XMP into it (which needs the sample description's
    data reference)."""
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = full_box(b"mvhd", 0, 0, struct.pack(">IIII", 0, 0, 1000, 0) + struct.pack(">IH", 0x10000, 0x100)
                    + bytes(10) + matrix + bytes(24) + struct.pack(">I", 2))
    tkhd = full_box(b"tkhd", 0, 3, struct.pack(">IIIII", 0, 0, 1, 0, 0) + bytes(8)
                    + struct.pack(">hhHH", 0, 0, 0x100, 0) + matrix + struct.pack(">II", 0, 0))
    mdhd = full_box(b"mdhd", 0, 0, struct.pack(">IIII", 0, 0, 8000, 0) + struct.pack(">HH", 0x55C4, 0))
    hdlr = full_box(b"hdlr", 0, 0, b"\0\0\0\0soun" + bytes(12) + b"Sound\0")
    dinf = box(b"dinf", full_box(b"dref", 0, 0, struct.pack(">I", 1) + full_box(b"url ", 0, 1, b"")))
    sowt = box(b"sowt", bytes(6) + struct.pack(">H", 1) + bytes(8)  # data reference 1
               + struct.pack(">HHHHI", 1, 16, 0, 0, 8000 << 16))  # mono, 16-bit, 8 kHz
    stbl = box(b"stbl", full_box(b"stsd", 0, 0, struct.pack(">I", 1) + sowt)
               + full_box(b"stts", 0, 0, struct.pack(">I", 0))
               + full_box(b"stsc", 0, 0, struct.pack(">I", 0))
               + full_box(b"stsz", 0, 0, struct.pack(">II", 0, 0))
               + full_box(b"stco", 0, 0, struct.pack(">I", 0)))
    minf = box(b"minf", full_box(b"smhd", 0, 0, bytes(4)) + dinf + stbl)
    trak = box(b"trak", tkhd + box(b"mdia", mdhd + hdlr + minf))
    return (box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41")
            + box(b"moov", mvhd + trak) + box(b"mdat", bytes(256)))


def make_mp4():
    """video1.mp4 from the shared fixtures with its top-level uuid boxes (the old C2PA store
    and its XMP) turned into free boxes of the same size, so chunk offsets stay right; the
    hand-made tiny MP4 when the shared fixtures are not there."""
    source = shared_file("video1.mp4")
    if source is None:
        return make_tiny_mp4()
    data = bytearray(open(source, "rb").read())
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        if size == 1:
            size = struct.unpack(">Q", data[at + 8:at + 16])[0]
        elif size == 0:
            size = len(data) - at
        if kind == b"uuid":
            data[at + 4:at + 8] = b"free"
        at += size
    return bytes(data)


def make_wav(rate=8000, frames=2000):
    """A mono 16-bit PCM WAV holding a quiet 440 Hz square wave."""
    period = rate // 440
    samples = b"".join(struct.pack("<h", 3000 if (i % period) < period // 2 else -3000)
                       for i in range(frames))
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return riff(b"WAVE", [(b"fmt ", fmt), (b"data", samples)])


def with_brand(mp4, brand):
    """An MP4 whose ftyp major brand and first compatible brand are rewritten."""
    out = bytearray(mp4)
    out[8:12] = brand
    out[16:20] = brand
    return bytes(out)


# ---------------------------------------------------------------------------- XMP

def xmp_packet(body, namespaces=None, about=""):
    """An XMP packet whose one rdf:Description holds `body` (XML text)."""
    namespaces = namespaces or {"Iptc4xmpExt": IPTC_EXT_NS}
    decl = "".join(f'\n    xmlns:{p}="{u}"' for p, u in namespaces.items())
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            f'  <rdf:Description rdf:about="{about}"{decl}>\n{body}\n'
            '  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n'
            '<?xpacket end="w"?>').encode("utf-8")


def dst_element(value, prefix="Iptc4xmpExt"):
    return f"   <{prefix}:DigitalSourceType>{IPTC}{value}</{prefix}:DigitalSourceType>"


AI_FIELDS = ("   <Iptc4xmpExt:AISystemUsed>ExampleDiffusion</Iptc4xmpExt:AISystemUsed>\n"
             "   <Iptc4xmpExt:AISystemVersionUsed>2.1</Iptc4xmpExt:AISystemVersionUsed>\n"
             "   <Iptc4xmpExt:AIPromptInformation>a lighthouse on a cliff at dusk"
             "</Iptc4xmpExt:AIPromptInformation>\n"
             "   <Iptc4xmpExt:AIPromptWriterName>Jo Example</Iptc4xmpExt:AIPromptWriterName>")


def jpeg_with_extended_xmp(jpeg, main_body, extended_body, filler_bytes=70000):
    """A JPEG whose standard XMP packet only points (xmpNote:HasExtendedXMP) at an extended
    packet, split over several APP1 segments, that holds `extended_body` and a big filler."""
    filler = "lorem ipsum dolor sit amet " * (filler_bytes // 27 + 1)
    extended = ('<x:xmpmeta xmlns:x="adobe:ns:meta/">'
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                f'<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="{IPTC_EXT_NS}" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f'{extended_body}<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{filler}'
                '</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>'
                ).encode("utf-8")
    guid = hashlib.md5(extended).hexdigest().upper()
    main = xmp_packet(main_body + f"\n   <xmpNote:HasExtendedXMP>{guid}</xmpNote:HasExtendedXMP>",
                      {"xmpNote": "http://ns.adobe.com/xmp/note/", "Iptc4xmpExt": IPTC_EXT_NS})
    segments = [jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + main)]
    step = 65000
    for offset in range(0, len(extended), step):
        segments.append(jpeg_segment(0xE1, b"http://ns.adobe.com/xmp/extension/\0"
                                     + guid.encode() + struct.pack(">II", len(extended), offset)
                                     + extended[offset:offset + step]))
    return jpeg_insert(jpeg, segments)


def exiftool(path, *args):
    result = subprocess.run(["exiftool", "-q", "-q", "-overwrite_original", *args, path],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"exiftool {' '.join(args)} {path}: {result.stderr.strip()}")


# ---------------------------------------------------------------------------- C2PA

def make_signer_files(tmp):
    """A throwaway root CA and an ES256 end-entity certificate with the emailProtection EKU
    (what the C2PA trust model asks of a signing certificate). Returns (chain PEM, key PEM)."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=tmp)
    with open(os.path.join(tmp, "ee.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=emailProtection\nsubjectKeyIdentifier=hash\n"
                "authorityKeyIdentifier=keyid\n")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key")
    openssl("req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", "3650",
            "-subj", "/CN=Clearance Throwaway Test Root/O=Clearance Tests", "-out", "ca.pem",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-addext", "subjectKeyIdentifier=hash")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ee.key")
    openssl("req", "-new", "-key", "ee.key", "-subj",
            "/CN=Clearance Fixture Signer/O=Clearance Tests", "-out", "ee.csr")
    openssl("x509", "-req", "-in", "ee.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-set_serial", "4242", "-days", "3650", "-sha256", "-extfile", "ee.ext", "-out", "ee.pem")
    def read(name):
        with open(os.path.join(tmp, name), "rb") as f:
            return f.read()
    return read("ee.pem") + read("ca.pem"), read("ee.key")


class Signing:
    def __init__(self, chain, key):
        self.chain, self.key = chain, key

    def signer(self):
        info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, self.chain, self.key, None)
        return c2pa.Signer.from_info(info)

    def sign(self, manifest, source, dest, mime, ingredients=(), no_embed=False, remote=None):
        """Signs `source` into `dest`; ingredients are (json, mime, path). Returns the store."""
        builder = c2pa.Builder(manifest)
        if no_embed:
            builder.set_no_embed()
        if remote:
            builder.set_remote_url(remote)
        for ingredient, ingredient_mime, path in ingredients:
            with open(path, "rb") as f:
                builder.add_ingredient(ingredient, ingredient_mime, f)
        with self.signer() as signer, open(source, "rb") as src, open(dest, "w+b") as dst:
            return builder.sign(signer, mime, src, dst)


def manifest(actions, title, extra=(), **fields):
    m = {"claim_generator_info": [{"name": "clearance-fixtures", "version": "1.0"}],
         "title": title,
         "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}, *extra]}
    m.update(fields)
    return m


def created(dst, agent=AGENT):
    action = {"action": "c2pa.created"}
    if agent is not None:
        action["softwareAgent"] = agent
    if dst:
        action["digitalSourceType"] = IPTC + dst
    return action


def opened(ingredient_label):
    return {"action": "c2pa.opened", "parameters": {"ingredientIds": [ingredient_label]}}


# ---------------------------------------------------------------------------- the fixtures

class Fixtures:
    def __init__(self, out, tmp, signing):
        self.out, self.tmp, self.signing = out, tmp, signing
        self.expected = []
        self.skipped = []

    def path(self, rel):
        full = os.path.join(self.out, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        return full

    def base(self, name, data):
        """Writes a base medium into the scratch directory; returns its path."""
        full = os.path.join(self.tmp, name)
        with open(full, "wb") as f:
            f.write(data)
        return full

    def expect(self, rel, verdict, note):
        assert os.path.exists(os.path.join(self.out, rel)), rel
        self.expected.append({"path": rel, "verdict": verdict, "note": note})
        print(f"  {verdict:<15}{rel}  ({note})", flush=True)

    def write(self, rel, data, verdict, note):
        with open(self.path(rel), "wb") as f:
            f.write(data)
        self.expect(rel, verdict, note)

    def skip(self, rel, reason):
        self.skipped.append(f"{rel}: {reason}")
        print(f"  skipped        {rel}: {reason}")

    def copy(self, source, rel):
        shutil.copyfile(source, self.path(rel))
        return self.path(rel)

    def c2pa(self, rel, source, mime, verdict, note, actions=None, optional=False, **sign):
        """Signs `source` into OUTDIR/rel; `optional` formats are skipped with a note if the
        SDK refuses them."""
        m = sign.pop("manifest", None) or manifest(actions, os.path.basename(rel))
        try:
            store = self.signing.sign(m, source, self.path(rel), mime, **sign)
        except c2pa.C2paError as error:
            if not optional:
                raise
            os.remove(self.path(rel))
            self.skipped.append(f"{rel}: {error}")
            print(f"  skipped        {rel}: c2pa-python cannot sign {mime}: {error}")
            return None
        self.expect(rel, verdict, note)
        return store


def make_c2pa(fx, media):
    print("C2PA, embedded (c2pa-python " + c2pa.sdk_version() + " signs every actions assertion "
          "as c2pa.actions.v2):")
    tam = [created("trainedAlgorithmicMedia")]
    for rel, base, mime, optional in [
            ("c2pa/tam.jpg", "jpeg", "image/jpeg", False), ("c2pa/tam.png", "png", "image/png", False),
            ("c2pa/tam.webp", "webp", "image/webp", False), ("c2pa/tam.tif", "tiff", "image/tiff", False),
            ("c2pa/tam.mp4", "mp4", "video/mp4", False), ("c2pa/tam.mov", "mov", "video/quicktime", False),
            ("c2pa/tam.wav", "wav", "audio/wav", False), ("c2pa/tam.avi", "avi", "video/avi", True),
            ("c2pa/tam.heic", "heif", "image/heic", True), ("c2pa/tam.m4a", "m4a", "audio/mp4", True)]:
        fx.c2pa(rel, media[base], mime, "generated", "c2pa.created, trainedAlgorithmicMedia",
                tam, optional=optional)
    for rel, base, mime in [("c2pa/tad.jpg", "jpeg", "image/jpeg"), ("c2pa/tad.wav", "wav", "audio/wav")]:
        fx.c2pa(rel, media[base], mime, "generated", "c2pa.created, trainedAlgorithmicData",
                [created("trainedAlgorithmicData")])
    fx.c2pa("c2pa/agent_string.png", media["png"], "image/png", "generated",
            "trainedAlgorithmicMedia, softwareAgent given as a plain string",
            [created("trainedAlgorithmicMedia", agent="ExampleDiffusion 2.1")])
    fx.c2pa("c2pa/claim_v1.jpg", media["jpeg"], "image/jpeg", "generated",
            "claim_version 1 with a claim_generator string; the actions are still stored as v2",
            manifest=manifest(tam, "claim_v1.jpg", claim_version=1,
                              claim_generator="clearance-fixtures/1.0 (claim v1)"))
    for rel, base, mime in [("c2pa/composite_ai.jpg", "jpeg", "image/jpeg"),
                            ("c2pa/composite_ai.mp4", "mp4", "video/mp4"),
                            ("c2pa/composite_ai.wav", "wav", "audio/wav"),
                            ("c2pa/composite_ai.tif", "tiff", "image/tiff")]:
        fx.c2pa(rel, media[base], mime, "ai-edited", "c2pa.created, compositeWithTrainedAlgorithmicMedia",
                [created("compositeWithTrainedAlgorithmicMedia")])
    for rel, base, mime in [("c2pa/composite_synthetic.png", "png", "image/png"),
                            ("c2pa/composite_synthetic.webp", "webp", "image/webp")]:
        fx.c2pa(rel, media[base], mime, "review", "c2pa.created, compositeSynthetic",
                [created("compositeSynthetic")])
    for rel, base, mime, dst in [("c2pa/algorithmic.jpg", "jpeg", "image/jpeg", "algorithmicMedia"),
                                 ("c2pa/algorithmic.tif", "tiff", "image/tiff", "algorithmicMedia"),
                                 ("c2pa/enhanced.jpg", "jpeg", "image/jpeg", "algorithmicallyEnhanced"),
                                 ("c2pa/digital_capture.jpg", "jpeg", "image/jpeg", "digitalCapture"),
                                 ("c2pa/digital_creation.png", "png", "image/png", "digitalCreation")]:
        fx.c2pa(rel, media[base], mime, "no-markers", f"c2pa.created, {dst} (not GenAI)",
                [created(dst, agent=None)])

    # An AI-made parent under an active manifest with no digitalSourceType of its own.
    ingredient = {"title": "tam.jpg", "relationship": "parentOf", "label": "parent"}
    fx.c2pa("c2pa/ai_ingredient.jpg", media["jpeg"], "image/jpeg", "generated",
            "active manifest: c2pa.opened + c2pa.edited, no DST; its parentOf ingredient's "
            "manifest says trainedAlgorithmicMedia",
            [opened("parent"), {"action": "c2pa.edited", "softwareAgent": "Retoucher 3"}],
            ingredients=[(ingredient, "image/jpeg", fx.path("c2pa/tam.jpg"))])
    ingredient = {"title": "tam.mp4", "relationship": "parentOf", "label": "parent"}
    fx.c2pa("c2pa/ai_ingredient.mp4", media["mp4"], "video/mp4", "generated",
            "the same in ISO BMFF: AI parent ingredient under a non-AI active manifest",
            [opened("parent"), {"action": "c2pa.edited"}],
            ingredients=[(ingredient, "video/mp4", fx.path("c2pa/tam.mp4"))])
    ingredient = {"title": "plain.jpg", "relationship": "parentOf", "label": "parent"}
    fx.c2pa("c2pa/genfill_edit.jpg", media["jpeg"], "image/jpeg", "ai-edited",
            "c2pa.opened of a plain JPEG, then c2pa.edited with compositeWithTrainedAlgorithmicMedia",
            [opened("parent"), {"action": "c2pa.edited", "softwareAgent": AGENT,
                                "digitalSourceType": IPTC + "compositeWithTrainedAlgorithmicMedia"}],
            ingredients=[(ingredient, "image/jpeg", media["jpeg"])])
    c_jpg = shared_file("C.jpg")
    if c_jpg is None:
        fx.skip("c2pa/v1_ingredient.jpg", f"needs the shared C.jpg (a claim v1 manifest), "
                                          f"not found in {SHARED}")
    else:
        ingredient = {"title": "C.jpg", "relationship": "parentOf", "label": "parent"}
        fx.c2pa("c2pa/v1_ingredient.jpg", media["jpeg"], "image/jpeg", "no-markers",
                "parent is the shared C.jpg: its claim v1 manifest with a v1 c2pa.actions "
                "(algorithmicMedia) comes along in the store",
                [opened("parent")], ingredients=[(ingredient, "image/jpeg", c_jpg)])

    # A store far over 64 KB, so JPEG needs several APP11 segments.
    filler = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(2600))
    store = fx.c2pa("c2pa/big_store.jpg", media["jpeg"], "image/jpeg", "generated",
                    "store of ~170 KB (a big custom assertion) split over 3 APP11 segments",
                    manifest=manifest(tam, "big_store.jpg",
                                      extra=[{"label": "org.clearance.filler",
                                              "data": {"filler": filler}}]))
    segments = count_app11(fx.path("c2pa/big_store.jpg"))
    assert len(store) > 65536 and segments >= 2, (len(store), segments)


def count_app11(path):
    data = open(path, "rb").read()
    at, count = 2, 0
    while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] not in (0xDA, 0xD9):
        count += data[at + 1] == 0xEB
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return count


def make_sidecars(fx, media):
    print("C2PA sidecars (asset with no embedded store, the store in ASSET.c2pa):")
    for rel, base, mime in [("sidecar/tam.jpg", "jpeg", "image/jpeg"),
                            ("sidecar/tam.mp4", "mp4", "video/mp4"),
                            ("sidecar/composite_ai.wav", "wav", "audio/wav")]:
        dst = "compositeWithTrainedAlgorithmicMedia" if "composite" in rel else "trainedAlgorithmicMedia"
        verdict = "ai-edited" if "composite" in rel else "generated"
        store = fx.signing.sign(manifest([created(dst)], os.path.basename(rel)), media[base],
                                fx.path(rel), mime, no_embed=True)
        with open(fx.path(rel + ".c2pa"), "wb") as f:
            f.write(store)
        fx.expect(rel, verdict, f"no embedded store; {os.path.basename(rel)}.c2pa next to it "
                                f"says {dst}")
        fx.expect(rel + ".c2pa", verdict, f"a bare C2PA manifest store (JUMBF), {dst}")
    store = fx.signing.sign(manifest([created("trainedAlgorithmicMedia")], "orphan.png"),
                            media["png"], os.path.join(fx.tmp, "orphan.png"), "image/png",
                            no_embed=True)
    fx.write("sidecar/orphan_store.c2pa", store, "generated",
             "a bare store whose asset is not there, trainedAlgorithmicMedia")


def make_remote(fx, media):
    print("Remote manifests (XMP dcterms:provenance):")
    for rel, base, mime in [("remote/c2pa_remote.jpg", "jpeg", "image/jpeg"),
                            ("remote/c2pa_remote.png", "png", "image/png")]:
        fx.c2pa(rel, media[base], mime, "review",
                "signed by c2pa-python with set_remote_url + no-embed: only an XMP "
                "dcterms:provenance URL, no store", [created("trainedAlgorithmicMedia")],
                no_embed=True, remote="https://manifests.example.com/" + os.path.basename(rel) + ".c2pa")
    packet = xmp_packet('   <dcterms:provenance>https://manifests.example.com/urn-c2pa-1234.c2pa'
                        '</dcterms:provenance>', {"dcterms": "http://purl.org/dc/terms/"})
    path = fx.copy(media["jpeg"], "remote/dcterms_provenance.jpg")
    xmp_file = fx.base("provenance.xmp", packet)
    exiftool(path, f"-XMP<={xmp_file}")
    fx.expect("remote/dcterms_provenance.jpg", "review",
              "hand-written XMP dcterms:provenance with an https URL, written with exiftool")


def make_xmp(fx, media):
    print("XMP only (no C2PA store):")

    def tool(rel, base, verdict, note, *args):
        path = fx.copy(media[base], rel)
        exiftool(path, *args)
        fx.expect(rel, verdict, note)

    def raw(rel, base, verdict, note, packet):
        path = fx.copy(media[base], rel)
        exiftool(path, "-XMP<=" + fx.base(os.path.basename(rel) + ".xmp", packet))
        fx.expect(rel, verdict, note)

    def dst_tag(value):
        return f"-XMP-iptcExt:DigitalSourceType={IPTC}{value}"

    tool("xmp/dst_element.jpg", "jpeg", "generated",
         "Iptc4xmpExt:DigitalSourceType as an element (exiftool)", dst_tag("trainedAlgorithmicMedia"))
    tool("xmp/dst_attribute.jpg", "jpeg", "generated",
         "DigitalSourceType as an rdf:Description attribute (exiftool -api Compact=Shorthand)",
         "-api", "Compact=Shorthand", dst_tag("trainedAlgorithmicMedia"))
    raw("xmp/dst_prefix.jpg", "jpeg", "generated",
        "DigitalSourceType under the prefix ipx: bound to the Iptc4xmpExt namespace",
        xmp_packet(dst_element("trainedAlgorithmicMedia", prefix="ipx"), {"ipx": IPTC_EXT_NS}))
    raw("xmp/dst_resource.jpg", "jpeg", "generated",
        "DigitalSourceType written as rdf:resource on an empty element",
        xmp_packet(f'   <Iptc4xmpExt:DigitalSourceType rdf:resource="{IPTC}trainedAlgorithmicMedia"/>'))
    raw("xmp/dst_wrong_namespace.jpg", "jpeg", "no-markers",
        "a DigitalSourceType property in a namespace that is not IPTC's",
        xmp_packet(dst_element("trainedAlgorithmicMedia", prefix="Iptc4xmpExt"),
                   {"Iptc4xmpExt": "http://example.com/not-iptc/1.0/"}))
    tool("xmp/tad.jpg", "jpeg", "generated", "DigitalSourceType trainedAlgorithmicData",
         dst_tag("trainedAlgorithmicData"))
    tool("xmp/composite_ai.jpg", "jpeg", "ai-edited",
         "DigitalSourceType compositeWithTrainedAlgorithmicMedia",
         dst_tag("compositeWithTrainedAlgorithmicMedia"))
    tool("xmp/composite_synthetic.jpg", "jpeg", "review", "DigitalSourceType compositeSynthetic",
         dst_tag("compositeSynthetic"))
    tool("xmp/algorithmic.jpg", "jpeg", "no-markers", "DigitalSourceType algorithmicMedia",
         dst_tag("algorithmicMedia"))
    tool("xmp/enhanced.jpg", "jpeg", "no-markers", "DigitalSourceType algorithmicallyEnhanced",
         dst_tag("algorithmicallyEnhanced"))
    raw("xmp/ai_fields.jpg", "jpeg", "review",
        "IPTC 2025.1 AISystemUsed, AISystemVersionUsed, AIPromptInformation, AIPromptWriterName; "
        "no DigitalSourceType", xmp_packet(AI_FIELDS))
    raw("xmp/ai_fields.png", "png", "review", "the same IPTC 2025.1 AI fields in PNG iTXt",
        xmp_packet(AI_FIELDS))
    raw("xmp/ai_fields_with_dst.jpg", "jpeg", "generated",
        "IPTC 2025.1 AI fields and DigitalSourceType trainedAlgorithmicMedia",
        xmp_packet(AI_FIELDS + "\n" + dst_element("trainedAlgorithmicMedia")))

    big = fx.base("description.txt", ("a long caption " * 5000).encode())
    tool("xmp/extended_exiftool.jpg", "jpeg", "generated",
         "exiftool split a >65 KB packet: DigitalSourceType stays in the standard packet, "
         "dc:description goes to extended XMP", f"-XMP-dc:Description<={big}",
         dst_tag("trainedAlgorithmicMedia"))
    fx.write("xmp/extended_dst.jpg",
             jpeg_with_extended_xmp(make_jpeg(), "", dst_element("trainedAlgorithmicMedia")),
             "generated", "DigitalSourceType only in the extended XMP (2 APP1 extension "
                          "segments); the standard packet holds just xmpNote:HasExtendedXMP")

    tam = dst_tag("trainedAlgorithmicMedia")
    tool("xmp/dst.png", "png", "generated", "PNG iTXt XML:com.adobe.xmp (exiftool)", tam)
    tool("xmp/dst.mp4", "mp4", "generated", "MP4 top-level XMP uuid box (exiftool)", tam)
    tool("xmp/dst.mov", "mov", "generated", "QuickTime moov/udta/XMP_ (exiftool)", tam)
    tool("xmp/dst.webp", "webp", "generated", "WebP 'XMP ' chunk, VP8X added (exiftool)", tam)
    tool("xmp/dst.tif", "tiff", "generated", "TIFF tag 700 (exiftool)", tam)
    packet = xmp_packet(dst_element("trainedAlgorithmicMedia"))
    fx.write("xmp/dst.wav", riff_append(open(media["wav"], "rb").read(), b"_PMX", packet),
             "generated", "WAV _PMX chunk after the data chunk (by hand; exiftool cannot write WAV)")
    fx.write("xmp/dst.avi", riff_append(open(media["avi"], "rb").read(), b"_PMX", packet),
             "generated", "AVI _PMX chunk (by hand; exiftool cannot write AVI)")


def make_heuristic(fx, media):
    print("Generator metadata (heuristic) and its controls:")
    comfy_prompt = json.dumps({"3": {"class_type": "KSampler", "inputs": {
        "seed": 1234567, "steps": 20, "cfg": 7.0, "sampler_name": "euler", "scheduler": "normal",
        "denoise": 1.0, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0],
        "latent_image": ["5", 0]}}, "4": {"class_type": "CheckpointLoaderSimple",
                                          "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}}})
    comfy_workflow = json.dumps({"last_node_id": 9, "last_link_id": 9, "nodes": [
        {"id": 3, "type": "KSampler", "widgets_values": [1234567, "fixed", 20, 7, "euler", "normal", 1]}],
        "links": [], "version": 0.4})
    invoke = json.dumps({"generation_mode": "txt2img", "positive_prompt": "a lighthouse at dusk",
                         "model": {"name": "stable-diffusion-v1-5", "base": "sd-1"},
                         "steps": 30, "cfg_scale": 7.5, "scheduler": "euler", "seed": 42,
                         "width": 512, "height": 512, "app_version": "3.6.0"})
    sd_metadata = json.dumps({"model": "stable diffusion", "model_weights": "stable-diffusion-1.5",
                              "app_id": "invoke-ai/InvokeAI", "app_version": "2.3.5",
                              "image": {"prompt": [{"prompt": "a lighthouse at dusk", "weight": 1.0}],
                                        "steps": 50, "cfg_scale": 7.5, "seed": 42,
                                        "sampler": "k_lms", "width": 512, "height": 512}})
    novelai = json.dumps({"prompt": "a lighthouse at dusk", "steps": 28, "height": 832,
                          "width": 1216, "scale": 5.0, "seed": 987654, "sampler": "k_euler_ancestral",
                          "uc": "lowres, bad anatomy", "request_type": "PromptGenerateRequest"})
    for rel, chunks, after, note in [
            ("heuristic/a1111_text.png", [text_chunk("tEXt", "parameters", SD_PARAMETERS)], False,
             "tEXt parameters (AUTOMATIC1111)"),
            ("heuristic/a1111_ztxt.png", [text_chunk("zTXt", "parameters", SD_PARAMETERS)], True,
             "zTXt parameters, after IDAT"),
            ("heuristic/a1111_itxt.png", [text_chunk("iTXt", "parameters", SD_PARAMETERS)], False,
             "compressed iTXt parameters"),
            ("heuristic/comfyui.png", [text_chunk("tEXt", "prompt", comfy_prompt),
                                       text_chunk("tEXt", "workflow", comfy_workflow)], False,
             "tEXt prompt + workflow (ComfyUI)"),
            ("heuristic/invokeai_metadata.png", [text_chunk("tEXt", "invokeai_metadata", invoke)],
             False, "tEXt invokeai_metadata (InvokeAI 3)"),
            ("heuristic/invokeai_dream.png",
             [text_chunk("tEXt", "Dream", '"a lighthouse at dusk" -s 50 -S 42 -W 512 -H 512 -C 7.5 -A k_lms')],
             False, "tEXt Dream (old InvokeAI)"),
            ("heuristic/invokeai_sd_metadata.png", [text_chunk("tEXt", "sd-metadata", sd_metadata)],
             False, "tEXt sd-metadata (InvokeAI 2)"),
            ("heuristic/novelai.png", [text_chunk("tEXt", "Software", "NovelAI"),
                                       text_chunk("tEXt", "Title", "AI generated image"),
                                       text_chunk("tEXt", "Comment", novelai)], False,
             "tEXt Software=NovelAI + Comment JSON")]:
        data = make_png(after_idat=chunks) if after else make_png(before_idat=chunks)
        fx.write(rel, data, "heuristic", note)
    fx.write("heuristic/control_software_gimp.png",
             make_png(before_idat=[text_chunk("tEXt", "Software", "GIMP 2.10.36"),
                                   text_chunk("tEXt", "Comment", "holiday photo, retouched")]),
             "no-markers", "control: tEXt Software=GIMP and a plain Comment")
    fx.write("heuristic/control_decoy_comment.png",
             make_png(before_idat=[text_chunk("tEXt", "Comment",
                                              "notes: we did not use trainedAlgorithmicMedia, "
                                              "Midjourney or Stable Diffusion for this one")]),
             "no-markers", "control: generator words inside an ordinary tEXt Comment")

    def tool(rel, verdict, note, *args):
        exiftool(fx.copy(media["jpeg"], rel), *args)
        fx.expect(rel, verdict, note)
    tool("heuristic/usercomment.jpg", "heuristic", "EXIF UserComment with SD parameters (ASCII)",
         "-EXIF:UserComment=" + SD_PARAMETERS)
    tool("heuristic/usercomment_unicode.jpg", "heuristic",
         "EXIF UserComment with SD parameters, UNICODE charset (non-ASCII prompt)",
         "-EXIF:UserComment=" + SD_PARAMETERS.replace("lighthouse", "phare \u00e9clair\u00e9"))
    tool("heuristic/exif_software_midjourney.jpg", "heuristic", "EXIF Software=Midjourney",
         "-EXIF:Software=Midjourney")
    tool("heuristic/creatortool_firefly.jpg", "heuristic", "XMP xmp:CreatorTool=Adobe Firefly",
         "-XMP-xmp:CreatorTool=Adobe Firefly")
    tool("heuristic/control_exif_software.jpg", "no-markers",
         "control: EXIF Software=Adobe Photoshop 25.0", "-EXIF:Software=Adobe Photoshop 25.0")
    tool("heuristic/control_creatortool.jpg", "no-markers",
         "control: XMP CreatorTool=Adobe Lightroom Classic 13.0", "-XMP-xmp:CreatorTool=Adobe Lightroom Classic 13.0")


def make_combos(fx, media):
    print("Several markers in one file (the strongest wins):")
    path = fx.copy(media["jpeg"], "combo/xmp_tam_c2pa_algorithmic.jpg")
    exiftool(path, f"-XMP-iptcExt:DigitalSourceType={IPTC}trainedAlgorithmicMedia")
    staged = fx.base("combo1.jpg", open(path, "rb").read())
    fx.c2pa("combo/xmp_tam_c2pa_algorithmic.jpg", staged, "image/jpeg", "generated",
            "C2PA algorithmicMedia, XMP trainedAlgorithmicMedia", [created("algorithmicMedia")])
    path = fx.copy(media["jpeg"], "combo/xmp_composite_exif_midjourney.jpg")
    exiftool(path, f"-XMP-iptcExt:DigitalSourceType={IPTC}compositeWithTrainedAlgorithmicMedia",
             "-EXIF:Software=Midjourney")
    fx.expect("combo/xmp_composite_exif_midjourney.jpg", "ai-edited",
              "XMP compositeWithTrainedAlgorithmicMedia + EXIF Software=Midjourney")
    staged = fx.base("combo3.png", make_png(before_idat=[text_chunk("tEXt", "parameters", SD_PARAMETERS)]))
    fx.c2pa("combo/params_c2pa_composite.png", staged, "image/png", "ai-edited",
            "tEXt parameters + C2PA compositeWithTrainedAlgorithmicMedia",
            [created("compositeWithTrainedAlgorithmicMedia")])
    fx.c2pa("combo/params_c2pa_algorithmic.png", staged, "image/png", "heuristic",
            "tEXt parameters + C2PA algorithmicMedia", [created("algorithmicMedia")])
    path = fx.copy(staged, "combo/xmp_synthetic_params.png")
    exiftool(path, f"-XMP-iptcExt:DigitalSourceType={IPTC}compositeSynthetic")
    fx.expect("combo/xmp_synthetic_params.png", "review", "XMP compositeSynthetic + tEXt parameters")
    path = fx.copy(media["jpeg"], "combo/ai_fields_midjourney.jpg")
    exiftool(path, "-XMP<=" + fx.base("fields.xmp", xmp_packet(AI_FIELDS)), "-EXIF:Software=Midjourney")
    fx.expect("combo/ai_fields_midjourney.jpg", "review", "IPTC AI fields (no DST) + EXIF Software=Midjourney")


def make_unknown(fx):
    print("Formats the scanner does not read:")
    mxf_key = bytes.fromhex("060e2b34020501010d01020101020400")  # header partition pack, closed+complete
    partition = (struct.pack(">HHIQQQQQIQI", 1, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0)
                 + bytes.fromhex("060e2b34040101010d01020101010900")  # operational pattern OP1a
                 + struct.pack(">II", 0, 16))  # no essence containers
    fx.write("unknown/clip.mxf", mxf_key + bytes([0x83]) + len(partition).to_bytes(3, "big")
             + partition + bytes(512), "unknown-format", "MXF header partition pack")
    exr = b"\x76\x2f\x31\x01" + struct.pack("<I", 2)
    for name, kind, value in [(b"channels", b"chlist", b"Y\0" + struct.pack("<iBxxxii", 1, 0, 1, 1) + b"\0"),
                              (b"compression", b"compression", b"\0"),
                              (b"dataWindow", b"box2i", struct.pack("<4i", 0, 0, 7, 7)),
                              (b"displayWindow", b"box2i", struct.pack("<4i", 0, 0, 7, 7)),
                              (b"lineOrder", b"lineOrder", b"\0"),
                              (b"pixelAspectRatio", b"float", struct.pack("<f", 1.0)),
                              (b"screenWindowCenter", b"v2f", struct.pack("<2f", 0, 0)),
                              (b"screenWindowWidth", b"float", struct.pack("<f", 1.0))]:
        exr += name + b"\0" + kind + b"\0" + struct.pack("<i", len(value)) + value
    fx.write("unknown/frame.exr", exr + b"\0" + bytes(8 * 8) + bytes(256), "unknown-format",
             "OpenEXR magic 76 2F 31 01 and a header")
    dpx = bytearray(2048)
    dpx[0:4] = b"SDPX"
    dpx[4:8] = struct.pack(">I", 2048)
    dpx[8:16] = b"V2.0\0\0\0\0"
    dpx[16:20] = struct.pack(">I", 2048 + 64)
    dpx[36:36 + 9] = b"frame.dpx"
    fx.write("unknown/frame.dpx", bytes(dpx) + bytes(64), "unknown-format", "DPX magic SDPX")
    noise = b"".join(hashlib.sha256(b"noise" + i.to_bytes(4, "big")).digest() for i in range(128))
    fx.write("unknown/noise.bin", noise, "unknown-format", "4 KB of pseudo-random bytes")


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__.strip().splitlines()[-1])
    out = os.path.abspath(sys.argv[1])
    os.makedirs(out, exist_ok=True)
    for kind in KINDS:  # only what this script makes; anything else in OUTDIR is left alone
        shutil.rmtree(os.path.join(out, kind), ignore_errors=True)
    if os.path.exists(os.path.join(out, "expected.json")):
        os.remove(os.path.join(out, "expected.json"))
    with tempfile.TemporaryDirectory(prefix="provenance-fixtures-") as tmp:
        signing = Signing(*make_signer_files(tmp))
        fx = Fixtures(out, tmp, signing)
        if not os.path.isdir(SHARED):
            print(f"No shared fixtures at {SHARED}: a hand-made MP4 and WAV stand in for "
                  "video1.mp4 and sample1.wav.")
        mp4 = make_mp4()
        media = {name: fx.base("base." + name, data) for name, data in [
            ("jpeg", make_jpeg()), ("png", make_png()), ("tiff", make_tiff()),
            ("webp", make_webp()), ("avi", make_avi()), ("heif", make_heif()), ("mp4", mp4),
            ("mov", with_brand(mp4, b"qt  ")), ("m4a", with_brand(mp4, b"M4A "))]}
        media["wav"] = shared_file("sample1.wav") or fx.base("base.wav", make_wav())
        make_c2pa(fx, media)
        make_sidecars(fx, media)
        make_remote(fx, media)
        make_xmp(fx, media)
        make_heuristic(fx, media)
        make_combos(fx, media)
        make_unknown(fx)
    fx.expected.sort(key=lambda e: e["path"])
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(fx.expected, f, indent=1)
        f.write("\n")
    counts = {}
    for entry in fx.expected:
        counts[entry["verdict"]] = counts.get(entry["verdict"], 0) + 1
    print(f"{len(fx.expected)} fixtures in {out} ("
          + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + "); expected.json written")
    for line in fx.skipped:
        print("skipped: " + line)


if __name__ == "__main__":
    main()
