#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus: a few small valid files of each format read by src/io,
edge cases, and hostile files (huge, negative or overflowing shapes, truncated data, headers
longer than the file). Run it from anywhere; it rewrites tests/fuzz/corpus/<format>/ seeds
(files named regression-* are inputs that once failed, added by hand, and are kept)."""

import gzip
import struct
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def gz(data: bytes) -> bytes:
    # mtime=0: the same bytes on every run.
    return gzip.compress(data, mtime=0)


# --- CSV / TSV -------------------------------------------------------------------------------

CSV = {
    "header.csv": b"x,y,label\n1,2,0\n3.5,-4,1\n5e-3,6E2,0\n",
    "no-header.csv": b"1,2,3\n4,5,6\n",
    "quoted-crlf-bom.csv": b'\xef\xbb\xbf"a","b"\r\n"1", 2 \r\n 3 ,"4"\r\n',
    "tabs.tsv": b"u\tv\n0.25\t8\n-1\t1e3\n",
    "blank-lines.csv": b"\n1,2\n\n  \n3,4\n",
    "no-final-newline.csv": b"1,2\n3,4",
    "plus-and-dots.csv": b"+1,.5,-.25\n1.,+2e+2,0\n",
    "underflow.csv": b"1e-400,1\n2,3\n",
    "gzip.csv.gz": gz(b"a,b\n1,2\n3,4\n"),
    # Hostile or broken.
    "overflow.csv": b"1e999,1\n",
    "nan-inf.csv": b"nan,1\ninf,-Infinity\n",
    "ragged.csv": b"1,2,3\n4,5\n",
    "text-cell.csv": b"1,2\n3,four\n",
    "header-only.csv": b"a,b,c\n",
    "empty.csv": b"",
    "unterminated-quote.csv": b'"1,2\n3,4\n',
    "control-bytes.csv": b"1,\x00\x01\x7f\n",
    "truncated-gzip.csv.gz": gz(b"1,2\n3,4\n")[:-6],
    "long-number.csv": b"1." + b"0" * 600 + b"1,2\n",
}

# --- NPY -------------------------------------------------------------------------------------


def npy(header: str, data: bytes, major: int = 1, header_length=None) -> bytes:
    length_bytes = 2 if major == 1 else 4
    text = header.encode("latin-1")
    unpadded = 8 + length_bytes + len(text) + 1
    text += b" " * ((64 - unpadded % 64) % 64) + b"\n"
    length = len(text) if header_length is None else header_length
    preamble = b"\x93NUMPY" + bytes([major, 0])
    preamble += struct.pack("<H" if major == 1 else "<I", length)
    return preamble + text + data


def npy_dict(descr: str, fortran: bool, shape: str) -> str:
    return "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape)


def pack(fmt: str, values) -> bytes:
    return struct.pack(fmt[0] + fmt[1:] * len(values), *values)


NPY = {
    "f8-c-2x3.npy": npy(npy_dict("<f8", False, "(2, 3)"), pack("<d", [1, -2, 3.5, 4, 5, -6.25])),
    "f4-fortran-3x2.npy": npy(npy_dict("<f4", True, "(3, 2)"), pack("<f", [1, 2, 3, 4, 5, 6])),
    "i2-big-endian.npy": npy(npy_dict(">i2", False, "(2, 2)"), pack(">h", [-1, 2, -300, 4])),
    "u1-1d.npy": npy(npy_dict("|u1", False, "(4,)"), bytes([0, 1, 128, 255])),
    "u8-fortran-limit.npy": npy(npy_dict("<u8", True, "(3, 2)"), pack("<Q", [1, 2, 3, 4, 5, 6])),
    "version2.npy": npy(npy_dict("<f8", False, "(1, 1)"), pack("<d", [7]), major=2),
    "version3-keys-reordered.npy": npy(
        "{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"<i4\", 'extra': [1, (2, 3)]}",
        pack("<i", [5, -6]), major=3),
    # Hostile or broken.
    "huge-shape.npy": npy(npy_dict("<f8", False, "(1000000000000, 1000)"), pack("<d", [1])),
    "overflowing-shape.npy": npy(npy_dict("<f8", False, "(4294967296, 4294967296)"), b""),
    "negative-shape.npy": npy(npy_dict("<f8", False, "(-1, 3)"), pack("<d", [1, 2, 3])),
    "truncated-data.npy": npy(npy_dict("<f8", False, "(2, 3)"), pack("<d", [1, 2, 3, 4, 5])),
    "trailing-data.npy": npy(npy_dict("<f8", False, "(1, 1)"), pack("<d", [1, 2])),
    "header-longer-than-file.npy": npy(npy_dict("<f8", False, "(1,)"), b"", header_length=65535),
    "empty-shape.npy": npy(npy_dict("<f8", False, "(0, 3)"), b""),
    "three-dimensions.npy": npy(npy_dict("<f8", False, "(1, 1, 1)"), pack("<d", [1])),
    "nan.npy": npy(npy_dict("<f8", False, "(2,)"), pack("<d", [1, float("nan")])),
    "float32-overflow.npy": npy(npy_dict("<f8", False, "(1,)"), pack("<d", [1e300])),
    "structured.npy": npy("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,)}",
                          pack("<d", [1])),
    "deep-nesting.npy": npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': " +
                            "(" * 200 + ")" * 200 + "}", pack("<d", [1])),
    "too-short.npy": b"\x93NUMP",
}

# --- IDX -------------------------------------------------------------------------------------


def idx(type_code: int, dims, data: bytes) -> bytes:
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


IDX = {
    "u8-images-2x2x3.idx": idx(0x08, [2, 2, 3], bytes(range(12))),
    "i8-labels.idx": idx(0x09, [3], bytes([0, 0x7F, 0x80])),
    "i16.idx": idx(0x0B, [1, 2], pack(">h", [-2, 100])),
    "i32.idx": idx(0x0C, [2, 1], pack(">i", [-70000, 5])),
    "f32.idx": idx(0x0D, [1, 2], pack(">f", [0.5, -1.25])),
    "f64.idx": idx(0x0E, [1, 1], pack(">d", [3.0])),
    "gzip.idx.gz": gz(idx(0x08, [2, 3], bytes(range(6)))),
    "gzip-two-members.idx.gz": gz(idx(0x08, [2, 2], bytes([1, 2]))) + gz(bytes([3, 4])),
    # Hostile or broken.
    "overflowing-shape.idx": idx(0x0E, [0xFFFFFFFF] * 3, b""),
    "huge-shape.idx": idx(0x0E, [0xFFFFFFFF, 1000], b""),
    "truncated-data.idx": idx(0x08, [2, 2, 3], bytes(range(5))),
    "truncated-dims.idx": idx(0x08, [1, 2, 3], b"")[:10],
    "zero-dimensions.idx": bytes([0, 0, 0x08, 0]),
    "empty-shape.idx": idx(0x08, [0, 784], b""),
    "unknown-type.idx": bytes([0, 0, 0x0A, 1]) + struct.pack(">I", 1) + b"x",
    "nan.idx": idx(0x0D, [2], pack(">f", [1, float("nan")])),
    "float32-overflow.idx": idx(0x0E, [1], pack(">d", [1e300])),
    "gzip-truncated.idx.gz": gz(idx(0x08, [4, 2], bytes([1, 2, 3]))),
    "gzip-corrupt.idx.gz": gz(idx(0x08, [2], bytes([1, 2])))[:-6],
    # A gzip header promising 9,000,000 bytes: past the ratio check thanks to 8 KiB of ignored
    # padding after the stream, but only 2 bytes of data. Allocating the points from the header
    # (72 MB of doubles) trips the fuzzers' -malloc_limit_mb.
    "gzip-promises-more-than-it-holds.idx.gz":
        gz(idx(0x08, [3000, 3000], bytes([1, 2]))) + bytes(8192),
}

# --- Model files -----------------------------------------------------------------------------


def model(method=0, n=3, D=2, d=1, k=1, reg=1e-3, hessian_tol=1e-4, modified_tol=1e-12,
          points=None, embedding=None, version=1) -> bytes:
    points = points if points is not None else [float(i) for i in range(n * D)]
    embedding = embedding if embedding is not None else [float(i) / 2 for i in range(n * d)]
    header = b"LLEMODEL" + struct.pack("<IIQQQQddd", version, method, n, D, d, k, reg,
                                       hessian_tol, modified_tol)
    return header + pack("<d", points) + pack("<d", embedding)


GOOD_MODEL = model()
MODEL = {
    "standard-3x2.lle": GOOD_MODEL,
    "ltsa-4x3-d2.lle": model(method=3, n=4, D=3, d=2, k=2),
    # Hostile or broken.
    "huge-n.lle": model()[:16] + struct.pack("<Q", 1 << 61) + model()[24:],
    "overflowing-size.lle": model()[:16] + struct.pack("<QQQ", 1 << 40, 1 << 40, 1) + model()[40:],
    "truncated.lle": GOOD_MODEL[:-1],
    "trailing.lle": GOOD_MODEL + b"x",
    "header-only.lle": GOOD_MODEL[:50],
    "k-too-large.lle": model(k=3),
    "d-above-D.lle": model(d=3, embedding=[0.0] * 9),
    "nan.lle": model(points=[float("nan")] + [0.0] * 5),
    "negative-reg.lle": model(reg=-1.0),
    "unknown-method.lle": model(method=9),
    "version-7.lle": model(version=7),
    "foreign.lle": b"hello, world",
}


def main() -> None:
    for name, files in (("csv", CSV), ("npy", NPY), ("idx", IDX), ("model", MODEL)):
        folder = CORPUS / name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if not old.name.startswith("regression-"):
                old.unlink()
        for file_name, data in files.items():
            (folder / file_name).write_bytes(data)
        print(f"{folder}: {len(files)} seeds")


if __name__ == "__main__":
    main()
