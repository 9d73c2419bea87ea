CREATE TABLE parts(id INTEGER PRIMARY KEY, name TEXT, size INTEGER, owner TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO parts SELECT i, 'part-' || i, (i * 37) % 1000, 'owner-' || (i % 17) FROM n;
CREATE INDEX parts_by_owner ON parts(owner);
SELECT owner, count(*), sum(size) FROM parts GROUP BY owner ORDER BY sum(size) DESC LIMIT 5;
UPDATE parts SET size = size + 1 WHERE id % 3 = 0;
DELETE FROM parts WHERE size > 900;
SELECT count(*), max(size) FROM parts;
