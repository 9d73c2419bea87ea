"""Smoke test of one board: every image boots under QEMU, runs the firmware's functional check
on each of its allocators (`smoke`: blocks non-NULL, aligned, inside the heap, disjoint, keeping
their contents; an oversized request fails; freed blocks come back) and reports success through
the semihosting exit status. Also runs a short timed workload, so the benchmark path itself
(timing window, output, conversion) works on this board."""

import unittest

from bench.runner import benchmark
from bench.runner import board_test
from bench.runner import measure
from bench.runner import qemu


class SmokeTest(unittest.TestCase):
    def images(self):
        images = [image for image in MANIFEST["images"] if image["board"] == ARGUMENTS.board]
        self.assertTrue(images, f"no image for {ARGUMENTS.board}")
        return images

    def test_every_image_passes_its_functional_check(self):
        for image in self.images():
            with self.subTest(image=image["image"]):
                boot = qemu.boot(ARGUMENTS.board, image["elf"], ["smoke"])
                self.assertEqual(boot.status, 0, boot.describe())
                checked = [line for line in boot.lines if line.startswith("smoke ")]
                self.assertTrue(checked, boot.describe())
                self.assertTrue(all(line.endswith(" ok") for line in checked), boot.describe())

    def test_a_short_workload_runs_and_converts(self):
        for image in self.images():
            for allocator in benchmark.list_allocators(ARGUMENTS.board, image["elf"]):
                workload = "W1" if "W1" in allocator["workloads"] else allocator["workloads"][0]
                with self.subTest(image=image["image"], allocator=allocator["name"]):
                    boot = qemu.boot_or_fail(ARGUMENTS.board, image["elf"], ["run", allocator["name"], workload])
                    _, series, announced, _ = measure.parse_run(
                        boot.lines, benchmark.per_instruction(MANIFEST, ARGUMENTS.board))
                    timed = [count for values in series.values() for count in values]
                    self.assertEqual(sum(announced.values()), len(timed))
                    self.assertTrue(timed)
                    self.assertTrue(all(count > 0 for count in timed))
                    if workload == "W1":
                        self.assertEqual(announced["alloc"], 200)


if __name__ == "__main__":
    board_test.main(globals())
