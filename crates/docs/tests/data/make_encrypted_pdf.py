#!/usr/bin/env python3
"""Writes encrypted.pdf: a one-page PDF protected by the user password "secret" (PDF standard
security handler, revision 2, RC4 40-bit), made by hand because no PDF tool is needed to test that
the reader refuses encrypted files. Run: python3 make_encrypted_pdf.py (standard library only)."""
import hashlib, os

PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

def rc4(key, data):
    s = list(range(256)); j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256; s[i], s[j] = s[j], s[i]
    i = j = 0; out = bytearray()
    for b in data:
        i = (i + 1) % 256; j = (j + s[i]) % 256; s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)

def pad(pw): return (pw + PAD)[:32]

user, owner, perms = b"secret", b"owner-secret", -4
file_id = hashlib.md5(b"gongkai encrypted test").digest()
o = rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
key = hashlib.md5(pad(user) + o + perms.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
u = rc4(key, PAD)

def obj_key(num): return hashlib.md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]

content = rc4(obj_key(4), b"BT /F1 24 Tf 72 700 Td (Encrypted 2023) Tj ET")
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode() + b"> /P -4 >>",
]
out = bytearray(b"%PDF-1.4\n")
offsets = []
for n, body in enumerate(objs, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for off in offsets:
    out += b"%010d 00000 n \n" % off
idhex = file_id.hex().encode()
out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s><%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, idhex, idhex, xref)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "encrypted.pdf"), "wb") as f:
    f.write(out)
