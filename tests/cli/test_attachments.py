"""Photos and scanned receipts (issue 14), black box: a photo attaches to a verification, a 劝返
attempt or a notice, over the API (a multipart upload) and on the command line; it is stored as an
image cleaned of where it was taken (EXIF, comments and text chunks gone, a JPEG's orientation
kept), downloadable by the accounts that see the task or case and by no other (another
township: 404), each download audited; a file larger than the limit, a text file named .jpg, an
SVG and an image with something appended are refused with a Chinese message and change nothing,
and no uploaded file stays on the server's disk. SQLite, and PostgreSQL as the .pg variant.
"""

import json
import os
import struct
import subprocess
import unittest
import zlib

from harness import (BIN, OTHER, PG, TOWN, DemoServerTest, db_value, env, multipart)


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(text=b"Location\x00SECRET-PLACE 39.9N 116.4E"):
    """A 1x1 red PNG with a text chunk saying where it was taken."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"tEXt", text)
            + png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + png_chunk(b"IEND", b""))


def segment(marker, data):
    return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data


def exif(orientation, secret=b"SECRET-PLACE 39.9N 116.4E\x00"):
    """An EXIF block (big-endian TIFF): IFD0 with the orientation and an ImageDescription
    pointing at `secret` after the IFD."""
    ifd_at = 8
    text_at = ifd_at + 2 + 2 * 12 + 4
    ifd = struct.pack(">H", 2)
    ifd += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    ifd += struct.pack(">HHII", 0x010E, 2, len(secret), text_at)
    ifd += struct.pack(">I", 0)
    return b"Exif\x00\x00" + b"MM\x00\x2a" + struct.pack(">I", ifd_at) + ifd + secret


def jpeg(orientation=6):
    """An 8x8 grey baseline JPEG (one DC and one AC code), with EXIF (orientation and a place)
    and a comment."""
    return (b"\xff\xd8"
            + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + segment(0xE1, exif(orientation))
            + segment(0xFE, b"<script>alert(1)</script>")
            + segment(0xDB, b"\x00" + b"\x01" * 64)
            + segment(0xC0, b"\x08\x00\x08\x00\x08\x01\x01\x11\x00")
            + segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
            + segment(0xC4, b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00")
            + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + b"\x3f" + b"\xff\xd9")


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b'<circle r="4"/></svg>')


class AttachmentsTest(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("tz2", "--role", "township", "--township", OTHER)
        cls.case = int(db_value(cls.db, "SELECT min(id) FROM case_file WHERE township_code = '%s'"
                                % TOWN))
        cls.attempt = int(db_value(cls.db, "SELECT min(id) FROM attempt WHERE case_id = %d"
                                   % cls.case))
        cls.task = int(db_value(cls.db, "SELECT min(id) FROM verify_task WHERE township_code = '%s'"
                                % TOWN))

    def upload(self, who, path, data, fields=None, name="photo.jpg"):
        cookie, csrf = self.login(who)
        body, ctype = multipart(fields or {}, [("file", name, data)])
        return self.call("POST", path, body, cookie, csrf, {"Content-Type": ctype})

    def count(self):
        return int(db_value(self.db, "SELECT count(*) FROM attachment"))

    def uploads_left(self):
        d = os.path.join(os.path.dirname(self.db), "uploads") if not PG else None
        return sorted(os.listdir(d)) if d and os.path.isdir(d) else []

    def test_png_on_an_attempt_stored_clean_and_downloaded_by_the_case_people(self):
        r, j, _ = self.upload("tz", "/api/v1/cases/%d/attachments" % self.case, png(),
                              {"attempt": str(self.attempt), "note": "入户照片"}, "家访.png")
        self.assertEqual(r.status, 201, j)
        self.assertRegex(j["message"], "添加照片")
        aid = j["id"]
        cookie, _ = self.login("tz")
        r, j, _ = self.call("GET", "/api/v1/cases/%d/attachments" % self.case, cookie=cookie)
        self.assertEqual(r.status, 200, j)
        item = [i for i in j["items"] if i["id"] == aid][0]
        self.assertEqual((item["mime"], item["attempt"], item["notice"], item["note"],
                          item["added_by"]), ("image/png", self.attempt, None, "入户照片", "tz"))
        before = len(self.audit(action="attachment_read", target="case:%d" % self.case))
        r, _, data = self.call("GET", "/api/v1/cases/%d/attachments/%d" % (self.case, aid),
                               cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.getheader("Content-Type"), "image/png")
        self.assertIn("no-store", r.getheader("Cache-Control"))
        self.assertIn("sandbox", r.getheader("Content-Security-Policy"))
        self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"))
        self.assertIn(b"IDAT", data)
        self.assertNotIn(b"SECRET-PLACE", data)  # the text chunk is gone
        self.assertEqual(item["size"], len(data))
        after = self.audit(action="attachment_read", target="case:%d" % self.case)
        self.assertEqual(len(after), before + 1)
        self.assertEqual(after[0]["actor"], "tz")
        # the county reads it too; another township does not even see the list
        county, _ = self.login("county")
        r, _, _ = self.call("GET", "/api/v1/cases/%d/attachments/%d" % (self.case, aid),
                            cookie=county)
        self.assertEqual(r.status, 200)
        other, _ = self.login("tz2")
        for path in ("/api/v1/cases/%d/attachments" % self.case,
                     "/api/v1/cases/%d/attachments/%d" % (self.case, aid)):
            r, j, _ = self.call("GET", path, cookie=other)
            self.assertError(r, j, 404)
        self.assertEqual(self.uploads_left(), [])

    def test_jpeg_on_a_verification_keeps_orientation_not_place(self):
        r, j, _ = self.upload("tz", "/api/v1/verify/%d/attachments" % self.task, jpeg(6))
        self.assertEqual(r.status, 201, j)
        aid = j["id"]
        cookie, _ = self.login("tz")
        r, _, data = self.call("GET", "/api/v1/verify/%d/attachments/%d" % (self.task, aid),
                               cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.getheader("Content-Type"), "image/jpeg")
        self.assertTrue(data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9"))
        self.assertNotIn(b"SECRET-PLACE", data)
        self.assertNotIn(b"<script>", data)
        # the orientation survives, in an EXIF block of its own
        self.assertIn(b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03"
                      b"\x00\x00\x00\x01\x00\x06", data)
        self.assertEqual(len(self.audit(action="attachment_read", target="task:%d" % self.task)), 1)

    def test_what_phones_append_to_a_jpeg_is_cut_off(self):
        """An Ultra HDR photo's gain map (a second JPEG after the first's end) is not kept; a ZIP
        after the end is refused (test_not_images_refused_changing_nothing)."""
        r, j, _ = self.upload("tz", "/api/v1/verify/%d/attachments" % self.task,
                              jpeg(1) + jpeg(1) + b"GAINMAP")
        self.assertEqual(r.status, 201, j)
        cookie, _ = self.login("tz")
        r, _, data = self.call("GET", "/api/v1/verify/%d/attachments/%d" % (self.task, j["id"]),
                               cookie=cookie)
        self.assertEqual(data.count(b"\xff\xd8"), 1)
        self.assertNotIn(b"GAINMAP", data)

    def test_not_images_refused_changing_nothing(self):
        n = self.count()
        path = "/api/v1/cases/%d/attachments" % self.case
        field = {"attempt": str(self.attempt)}
        for name, data in [("receipt.jpg", "这是一段文字，不是照片".encode("utf-8")),
                           ("photo.svg", SVG),
                           ("photo.jpg", SVG),
                           ("photo.png", png() + b"PK\x03\x04 a zip appended"),
                           ("photo.jpg", jpeg() + b"PK\x03\x04 a zip appended"),
                           ("photo.jpg", jpeg() + b"<html><script>alert(1)</script>"),
                           ("photo.jpg", jpeg()[:-40]),
                           ("receipt.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF")]:
            r, j, _ = self.upload("tz", path, data, field, name)
            self.assertError(r, j, 400)
            self.assertEqual(j["error"]["field"], "file", j)
            self.assertRegex(j["error"]["message"], "照片|图片")
        self.assertEqual(self.count(), n)
        self.assertEqual(self.uploads_left(), [])

    def test_larger_than_the_limit_refused(self):
        admin, csrf = self.login("admin")
        r, j, _ = self.call("PUT", "/api/v1/settings/attachment_max_mb", {"value": "1"},
                            admin, csrf)
        self.assertEqual(r.status, 200, j)
        self.addCleanup(lambda: self.call("DELETE", "/api/v1/settings/attachment_max_mb", None,
                                          *self.login("admin")))
        n = self.count()
        big = png(b"Comment\x00" + b"x" * (1 << 20))  # a valid PNG of 1 MB and a bit
        r, j, _ = self.upload("tz", "/api/v1/verify/%d/attachments" % self.task, big)
        self.assertError(r, j, 413)
        self.assertIn("1 MB", j["error"]["message"])
        self.assertEqual(self.count(), n)
        self.assertEqual(self.uploads_left(), [])

    def test_a_chunked_upload_beyond_the_limit_is_cut_off(self):
        """No Content-Length to refuse at once: the body is read and dropped past the limit (the
        server never holds more than the limit), then refused."""
        admin, csrf = self.login("admin")
        r, j, _ = self.call("PUT", "/api/v1/settings/attachment_max_mb", {"value": "1"},
                            admin, csrf)
        self.assertEqual(r.status, 200, j)
        self.addCleanup(lambda: self.call("DELETE", "/api/v1/settings/attachment_max_mb", None,
                                          *self.login("admin")))
        n = self.count()
        cookie, csrf = self.login("tz")
        body, ctype = multipart({}, [("file", "big.png", png(b"Comment\x00" + b"x" * (3 << 20)))])
        c = self.conn()
        c.putrequest("POST", "/api/v1/verify/%d/attachments" % self.task)
        for k, v in (("Cookie", cookie), ("X-CSRF-Token", csrf), ("Content-Type", ctype),
                     ("Transfer-Encoding", "chunked")):
            c.putheader(k, v)
        c.endheaders()
        for i in range(0, len(body), 65536):
            part = body[i:i + 65536]
            try:
                c.send(b"%x\r\n" % len(part) + part + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
        try:
            c.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        r = c.getresponse()
        j = json.loads(r.read())
        c.close()
        self.assertError(r, j, 413)
        self.assertIn("1 MB", j["error"]["message"])
        self.assertEqual(self.count(), n)
        self.assertEqual(self.uploads_left(), [])

    def test_other_township_cannot_attach(self):
        n = self.count()
        r, j, _ = self.upload("tz2", "/api/v1/cases/%d/attachments" % self.case, png(),
                              {"attempt": str(self.attempt)})
        self.assertError(r, j, 404)
        r, j, _ = self.upload("sup", "/api/v1/cases/%d/attachments" % self.case, png(),
                              {"attempt": str(self.attempt)})
        self.assertEqual(r.status, 403, j)
        self.assertEqual(self.count(), n)

    def test_attempt_of_another_case_refused(self):
        r, j, _ = self.upload("tz", "/api/v1/cases/%d/attachments" % self.case, png(),
                              {"attempt": "999999"})
        self.assertError(r, j, 400)
        self.assertEqual(j["error"]["field"], "attempt")
        r, j, _ = self.upload("tz", "/api/v1/cases/%d/attachments" % self.case, png())
        self.assertError(r, j, 400)  # neither an attempt nor a notice

    def test_command_line(self):
        path = os.path.join(os.path.dirname(self.db) if not PG else "/tmp",
                            "cli-photo-%d.png" % os.getpid())
        with open(path, "wb") as f:
            f.write(png())
        self.addCleanup(os.remove, path)
        p = subprocess.run([BIN, "case", "attach", str(self.case), path, "--attempt",
                            str(self.attempt), "--db", self.db], capture_output=True, text=True,
                           env=env())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("添加照片", p.stdout)
        p = subprocess.run([BIN, "case", "photos", str(self.case), "--db", self.db],
                           capture_output=True, text=True, env=env())
        self.assertEqual(p.returncode, 0, p.stderr)
        last = [l for l in p.stdout.splitlines() if l.startswith("照片 ")][-1]
        self.assertIn("劝返记录 %d" % self.attempt, last)
        aid = int(last.split()[1])
        out = path + ".out"
        self.addCleanup(lambda: os.path.exists(out) and os.remove(out))
        p = subprocess.run([BIN, "case", "photos", str(self.case), "--get", str(aid), "-o", out,
                            "--db", self.db], capture_output=True, text=True, env=env())
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            got = f.read()
        self.assertTrue(got.startswith(b"\x89PNG") and b"SECRET-PLACE" not in got)
        self.assertEqual(int(db_value(self.db, "SELECT count(*) FROM audit WHERE action ="
                                      " 'attachment_read' AND detail = '照片 %d'" % aid)), 1)
        with open(path, "wb") as f:
            f.write(b"not a photo at all")
        p = subprocess.run([BIN, "verify", "attach", str(self.task), path, "--db", self.db],
                           capture_output=True, text=True, env=env())
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("不是照片", p.stderr)


if __name__ == "__main__":
    unittest.main()
