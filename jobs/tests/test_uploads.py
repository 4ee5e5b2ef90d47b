"""An upload is checked before anything is unpacked, and unpacked under a cap."""

import io
import zipfile

import pytest

from jobs.uploads import Limits, UploadRejected, check_upload, unpack

from .support import news, zip_bytes

DEFAULTS = Limits()


def check(files, limits=DEFAULTS):
    return check_upload([(name, io.BytesIO(data)) for name, data in files], limits)


def refusal(files, limits=DEFAULTS):
    with pytest.raises(UploadRejected) as caught:
        check(files, limits)
    return str(caught.value)


def bomb(declared_size, real_size, name="news/bomb.md"):
    """A zip whose entry's directory record says ``declared_size`` but holds ``real_size``."""
    real = b"a" * real_size
    data = bytearray(zip_bytes({name: real}))
    # Rewrite the uncompressed size in the local header and the central directory;
    # the CRC is left for the real bytes, so only the size lies.
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.infolist()[0]
    local = info.header_offset + 22
    central = bytes(data).rindex(b"PK\x01\x02") + 24
    for offset in (local, central):
        data[offset : offset + 4] = declared_size.to_bytes(4, "little")
    return bytes(data)


class TestCheckUpload:
    def test_a_zip_of_seed_files_in_folders_is_accepted(self):
        data = zip_bytes(
            {
                "news/": b"",
                "news/a.md": news(1),
                "news/b.markdown": news(2),
                "topics/ai.yaml": "taxonomy: topic\nname: AI\n",
                "organizations/example.com.yml": "taxonomy: organization\nname: E\n",
            }
        )
        assert check([("batch.zip", data)]) == 4

    def test_several_loose_files_are_accepted(self):
        assert check([("a.md", news(1).encode()), ("b.txt", news(2).encode())]) == 2

    def test_hidden_files_and_macos_folders_are_passed_over(self):
        data = zip_bytes(
            {"news/a.md": news(1), "__MACOSX/news/._a.md": b"\0", "news/.DS_Store": b"\0"}
        )
        assert check([("batch.zip", data)]) == 1

    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            ("../evil.md", "paths with '..' are not accepted"),
            ("news/../../evil.md", "paths with '..' are not accepted"),
            ("/etc/evil.md", "absolute paths are not accepted"),
            ("C:/evil.md", "absolute paths are not accepted"),
            ("news\\evil.md", "backslashes are not accepted in paths"),
        ],
    )
    def test_paths_leaving_the_folder_are_refused_naming_the_entry(self, entry, message):
        data = zip_bytes({"news/a.md": news(1), entry: news(2)})
        assert refusal([("batch.zip", data)]) == f"batch.zip: {entry}: {message}"

    def test_encrypted_entries_are_refused(self):
        data = bytearray(zip_bytes({"news/a.md": b"ciphertext"}))
        # Set the "encrypted" flag bit in the local header and the central directory.
        for offset in (6, bytes(data).rindex(b"PK\x01\x02") + 8):
            data[offset] |= 0x1
        assert refusal([("batch.zip", bytes(data))]) == (
            "batch.zip: news/a.md: encrypted entries are not accepted"
        )

    def test_links_are_refused(self):
        data = zip_bytes({"news/a.md": news(1), "news/b.md": "/etc/passwd"}, symlinks={"news/b.md"})
        assert refusal([("batch.zip", data)]) == "batch.zip: news/b.md: links are not accepted"

    @pytest.mark.parametrize("name", ["news/run.sh", "news/inner.zip", "news/photo.png", "README"])
    def test_other_file_types_in_a_zip_are_refused(self, name):
        data = zip_bytes({"news/a.md": news(1), name: b"x"})
        assert refusal([("batch.zip", data)]).startswith(f"batch.zip: {name}: not a seed file")

    def test_a_loose_file_of_another_type_is_refused(self):
        assert refusal([("a.md", b"---\n"), ("notes.html", b"<p>")]).startswith(
            "notes.html: not a seed file (accepted: .markdown, .md, .txt, .yaml, .yml or .zip)"
        )

    def test_a_file_that_is_not_a_zip_is_refused(self):
        assert refusal([("batch.zip", b"PK not really")]).startswith(
            "batch.zip: not a readable zip archive"
        )

    def test_the_same_name_twice_is_refused(self):
        data = zip_bytes({"a.md": news(1)})
        assert refusal([("batch.zip", data), ("a.md", news(2).encode())]) == (
            "a.md: the upload holds this name twice"
        )

    def test_too_many_files_are_refused(self):
        data = zip_bytes({f"news/{n}.md": news(n) for n in range(4)})
        assert refusal([("batch.zip", data)], Limits(files=3)) == (
            "more than 3 files in the upload"
        )

    def test_an_upload_over_the_size_limit_is_refused(self):
        assert refusal([("a.md", news(1).encode())], Limits(upload_bytes=10)).startswith(
            "the upload is 0.0 MiB; at most 0.0 MiB"
        )

    def test_an_entry_declaring_too_much_is_refused_before_unpacking(self):
        data = zip_bytes({"news/big.md": b"a" * 5000})
        assert refusal([("batch.zip", data)], Limits(file_bytes=4000)).startswith(
            "batch.zip: news/big.md: unpacks to"
        )

    def test_a_compression_ratio_only_a_bomb_has_is_refused(self):
        data = zip_bytes({"news/bomb.md": b"a" * (3 * 1024 * 1024)})
        assert "as only a zip bomb is" in refusal([("batch.zip", data)])

    def test_unpacked_sizes_together_are_capped(self):
        data = zip_bytes({f"news/{n}.md": b"a" * 3000 for n in range(4)})
        assert refusal([("batch.zip", data)], Limits(unpacked_bytes=10_000)) == (
            "the files unpack to more than 0.0 MiB in all"
        )

    def test_an_empty_upload_is_refused(self):
        assert refusal([]) == "choose at least one file"
        assert refusal([("batch.zip", zip_bytes({"news/": b""}))]) == (
            "the upload holds no seed files"
        )


class TestUnpack:
    def test_files_land_in_their_folders(self, tmp_path):
        data = zip_bytes({"news/a.md": news(1), "topics/ai.yaml": "name: AI\n"})
        unpack(
            [("batch.zip", io.BytesIO(data)), ("b.md", io.BytesIO(b"---\n"))], tmp_path, Limits()
        )
        assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.*")) == [
            "b.md",
            "news/a.md",
            "topics/ai.yaml",
        ]
        assert (tmp_path / "news/a.md").read_text() == news(1)

    def test_an_entry_holding_more_than_it_declares_is_stopped_at_the_declared_size(self, tmp_path):
        """The zip bomb's trick: a small declared size, a huge real one."""
        data = bomb(declared_size=100, real_size=200_000)
        assert check([("bomb.zip", data)]) == 1  # the directory alone looks harmless
        with pytest.raises(UploadRejected) as caught:
            unpack([("bomb.zip", io.BytesIO(data))], tmp_path, Limits())
        assert str(caught.value).startswith("bomb.zip: news/bomb.md: ")
        assert all(p.stat().st_size <= 100 for p in tmp_path.rglob("*") if p.is_file())

    def test_an_entry_holding_less_than_it_declares_is_refused(self, tmp_path):
        data = bomb(declared_size=5000, real_size=100)
        with pytest.raises(UploadRejected) as caught:
            unpack([("short.zip", io.BytesIO(data))], tmp_path, Limits())
        assert str(caught.value).startswith("short.zip: news/bomb.md: ")

    def test_the_unpacked_total_is_capped_while_writing(self, tmp_path):
        data = zip_bytes({f"news/{n}.md": b"a" * 3000 for n in range(4)})
        with pytest.raises(UploadRejected) as caught:
            unpack([("batch.zip", io.BytesIO(data))], tmp_path, Limits(unpacked_bytes=7000))
        assert "unpack to more than" in str(caught.value)
