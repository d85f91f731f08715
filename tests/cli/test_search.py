"""The children list's search beyond exact Chinese (issue 14), black box over the API.

A cadre types what is quick on a phone: the child's name in pinyin (minningjia), its initials
(mnj) or a mix of both (minnj), the last 4 characters of the ID number, or the guardian's name.
The readings are the linker's; the search reaches no child outside the account's township, and
a spelling never reads an ID.
"""

import unittest
import urllib.parse

from harness import OTHER, TOWN, DemoServerTest, db_execute, db_rows


class SearchTest(DemoServerTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_add("tz2", "--role", "township", "--township", OTHER)
        # one suspected child of the township renamed to a name no demo child has
        rows = db_rows(cls.db,
                       "SELECT r.id, r.name, coalesce(r.guardian, ''), r.id_number FROM child_status cs"
                       " JOIN record r ON r.id = cs.record_id"
                       " WHERE cs.run_id = (SELECT max(id) FROM match_run)"
                       " AND cs.status IN ('not_enrolled', 'dropped_out') AND r.township_code = '%s'"
                       " AND r.id_number IS NOT NULL ORDER BY r.id LIMIT 1" % TOWN)
        cls.rid, cls.old_name, cls.old_guardian, cls.idn = rows[0]
        cls.rid = int(cls.rid)
        db_execute(cls.db, "UPDATE record SET name = '闵宁佳', guardian = '闵德厚' WHERE id = %d" % cls.rid)

    def search(self, user, q, status="all"):
        cookie, _ = self.login(user)
        r, j, _ = self.call("GET", "/api/v1/children?per_page=200&status=%s&q=%s"
                            % (status, urllib.parse.quote(q)), cookie=cookie)
        self.assertEqual(r.status, 200, j)
        return [it["id"] for it in j["items"]], j

    def test_pinyin_initials_and_mixed(self):
        for status in ("all", "suspected"):  # the walk and the SQL-paged list
            for q in ("minningjia", "mnj", "MNJ", "minnj", "min ning jia", "ningjia"):
                ids, j = self.search("tz", q, status)
                self.assertIn(self.rid, ids, (q, status))
                self.assertEqual(j["total"], len(ids), (q, status))
            for q in ("mjn", "minningjiax", "ingjia"):
                ids, _ = self.search("tz", q, status)
                self.assertNotIn(self.rid, ids, (q, status))
        # the exact name finds exactly the child
        ids, _ = self.search("tz", "闵宁佳")
        self.assertEqual(ids, [self.rid])

    def test_guardian_name(self):
        for status in ("all", "suspected"):
            ids, _ = self.search("tz", "闵德厚", status)
            self.assertEqual(ids, [self.rid], status)

    def test_last_four_of_the_id(self):
        ids, j = self.search("tz", self.idn[-4:].lower())
        self.assertIn(self.rid, ids)
        # masked as before: the search reads only what the mask shows
        item = next(it for it in j["items"] if it["id"] == self.rid)
        self.assertEqual(item["id_number"], self.idn[:6] + "*" * 8 + self.idn[-4:])

    def test_a_name_in_latin_letters(self):
        # letters are a spelling now: a name the register writes in Latin letters is still found
        rid = int(db_rows(self.db, "SELECT r.id FROM record r JOIN batch b ON b.id = r.batch_id"
                                   " WHERE b.kind = 'population' AND r.township_code = '%s' AND r.id <> %d"
                                   " ORDER BY r.id LIMIT 1" % (TOWN, self.rid))[0][0])
        old = db_rows(self.db, "SELECT name FROM record WHERE id = %d" % rid)[0][0]
        db_execute(self.db, "UPDATE record SET name = 'Aygul Mamat' WHERE id = %d" % rid)
        self.addCleanup(db_execute, self.db, "UPDATE record SET name = '%s' WHERE id = %d" % (old, rid))
        for q in ("aygul", "Mamat", "gulma"):
            ids, _ = self.search("tz", q)
            self.assertIn(rid, ids, q)

    def test_other_township_finds_nothing(self):
        for q in ("minningjia", "mnj", "闵德厚", self.idn[-4:]):
            ids, _ = self.search("tz2", q)
            self.assertNotIn(self.rid, ids, q)

    def test_paging_a_spelling(self):
        # a one-letter spelling matches many: pages are disjoint and add up to the total
        ids, j = self.search("tz", "m")
        total = j["total"]
        self.assertGreater(total, 1)
        cookie, _ = self.login("tz")
        seen = []
        for page in range(1, total // 50 + 3):
            r, jj, _ = self.call("GET", "/api/v1/children?status=all&q=m&per_page=50&page=%d" % page,
                                 cookie=cookie)
            self.assertEqual(r.status, 200, jj)
            self.assertEqual(jj["total"], total)
            if not jj["items"]:
                break
            seen += [it["id"] for it in jj["items"]]
        self.assertEqual(len(seen), total)
        self.assertEqual(len(set(seen)), total)
        self.assertEqual(seen[:len(ids)], ids)


if __name__ == "__main__":
    unittest.main()
