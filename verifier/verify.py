#!/usr/bin/env python3
"""Reference verifier for choucha draw bundles, standard library only (Python 3.11).

  v2 (`choucha-draw-bundle-v2`): docs/specs/draw-protocol-v2.md, every rule of §12 in its order.
  v1 (`choucha-draw-bundle-v1`): docs/specs/draw-protocol.md, the v1 code path (unchanged).

Usage:  verify.py [--json] BUNDLE.json [BUNDLE.json …]
Exit status: 0 verified, 1 not verified (a readable bundle that breaks a rule or does not
recompute), 2 unreadable (not strict JSON, unknown format, a file that cannot be read); with
several files, the worst of them (2 > 1 > 0). --json prints one JSON line per file:
  {"file","verdict","exit","code","path","message","stage","view","blsChecked"}

What this verifier does NOT do: check the drand BLS12-381 signature. It checks the beacon's round
and that randomness = SHA-256(signature), and says in its output that the signature was not
checked (`choucha verify` and the browser verifier check it).
"""
import datetime
import hashlib
import heapq
import json
import re
import sys
import threading
from collections import Counter

BLS_LINE = 'BLS signature: NOT checked (standard library only; use choucha verify for the full check)'


def H(b):
    return hashlib.sha256(b).digest()


def canon(v):
    """Canonical JSON (v1 §2, v2 §2). Right for v2 records: every member name is ASCII, so
    Python's code-point sort of names is RFC 8785's UTF-16 sort; no floats reach here."""
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(',', ':'))


def show(v):
    return json.dumps(v, ensure_ascii=False)


class Reject(Exception):
    """The first failure (§12): a code, the JSON path, the bundle's value and the recomputed one."""

    def __init__(self, code, path, message, actual=None, expected=None, exit=1, has_values=False):
        super().__init__(message)
        self.code, self.path, self.message = code, path, message
        self.actual, self.expected, self.exit = actual, expected, exit
        self.has_values = has_values


def mismatch(path, actual, expected, what, code='DRAW_BUNDLE_MISMATCH'):
    return Reject(code, path, f'{what}: at {path} the bundle has {show(actual)}, '
                  f'the recomputation gives {show(expected)}', actual, expected, has_values=True)


def first_difference(expected, actual, path):
    """The first path where two JSON values differ (arrays by index, then length; objects by
    member name in sorted order), as the TypeScript verifier's firstDifference."""
    if type(expected) is list and type(actual) is list:
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = first_difference(e, a, f'{path}[{i}]')
            if d:
                return d
        if len(expected) != len(actual):
            return (f'{path}.length', len(expected), len(actual))
        return None
    if type(expected) is dict and type(actual) is dict:
        for k in sorted(set(expected) | set(actual)):
            d = first_difference(expected.get(k), actual.get(k), f'{path}.{k}')
            if d:
                return d
        return None
    if type(expected) is not type(actual) or expected != actual:
        return (path, expected, actual)
    return None


def must_equal(expected, actual, path, what):
    d = first_difference(expected, actual, path)
    if d:
        raise mismatch(d[0], d[2], d[1], what)


# ==================================================================================================
# §12 step 1 — strict parse (§2): BUNDLE_JSON_INVALID, exit 2
# ==================================================================================================

MAX_SAFE = 2**53 - 1
_INT_TEXT = re.compile(r'-?(?:0|[1-9][0-9]*)', re.ASCII)


def _unreadable(message, code='BUNDLE_JSON_INVALID'):
    return Reject(code, None, message, exit=2)


def _no_duplicate_names(pairs):
    # "no member name twice in one object" (compared after unescaping, as json does)
    d = {}
    for k, v in pairs:
        if k in d:
            raise _unreadable(f'Not strict JSON: the member name {show(k)} twice in one object')
        d[k] = v
    return d


def _integer(s):
    if not _INT_TEXT.fullmatch(s):
        raise _unreadable(f'Not strict JSON: a malformed number {s}')
    # ±(2^53−1) at most (§2). `-0` is refused too, as the TypeScript parser does (it is not the
    # canonical form of zero): see the note in the report of this change.
    if s == '-0':
        raise _unreadable('Not strict JSON: the number -0 (not canonical; write 0)')
    if len(s.lstrip('-')) > 16 or abs(int(s)) > MAX_SAFE:
        raise _unreadable(f'Not strict JSON: an integer beyond ±(2^53−1): {s}')
    return int(s)


def _fraction(s):
    raise _unreadable(f'Not strict JSON: a number with a fraction or an exponent ({s}); integers only')


def _constant(s):
    raise _unreadable(f'Not strict JSON: {s} is not JSON')


def _lone_surrogates(v, path='$'):
    """Python decodes the escape "\\ud800" into a lone surrogate; such a string cannot be encoded
    as UTF-8 (§2: strings must be valid Unicode). Checks member names and values."""
    stack = [(v, path)]
    while stack:
        x, p = stack.pop()
        if type(x) is str:
            try:
                x.encode('utf-8')
            except UnicodeEncodeError:
                raise _unreadable(f'Not strict JSON: a lone surrogate in the string at {p}')
        elif type(x) is list:
            stack.extend((e, f'{p}[{i}]') for i, e in enumerate(x))
        elif type(x) is dict:
            for k, e in x.items():
                try:
                    k.encode('utf-8')
                except UnicodeEncodeError:
                    raise _unreadable(f'Not strict JSON: a lone surrogate in a member name at {p}')
                stack.append((e, member_path(p, k)))


MAX_DEPTH = 10**6
_STRING_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r'[^\[\]{}]+')


def _nesting_depth(text):
    """The deepest nesting of arrays and objects (strings skipped)."""
    brackets = _NOT_BRACKET.sub('', _STRING_TOKEN.sub('', text))
    depth = deepest = 0
    for ch in brackets:
        depth += 1 if ch in '[{' else -1
        deepest = max(deepest, depth)
    return deepest


def _loads(text):
    return json.loads(text, object_pairs_hook=_no_duplicate_names, parse_int=_integer,
                      parse_float=_fraction, parse_constant=_constant)


def _loads_deep(text):
    """json's decoder recurses once per nesting level and stops at the recursion limit (1000);
    RFC 8259 sets no limit and the TypeScript parser has none, so a deeper text is parsed again
    in a thread whose stack and recursion limit fit its depth (up to MAX_DEPTH levels)."""
    depth = _nesting_depth(text)
    if depth > MAX_DEPTH:
        raise _unreadable(f'Not JSON this verifier can read: nested {depth} levels deep (more than {MAX_DEPTH})')
    result = {}

    def parse():
        try:
            result['value'] = _loads(text)
        except BaseException as e:  # re-raised in the caller's thread
            result['error'] = e

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    try:
        sys.setrecursionlimit(3 * depth + 5000)
        threading.stack_size(64 * 2**20 + 512 * depth)  # ~160 bytes of C stack per level, measured
        worker = threading.Thread(target=parse)
        worker.start()
        worker.join()
    except (RuntimeError, ValueError) as e:
        raise _unreadable(f'Not JSON this verifier can read: nested {depth} levels deep ({e})')
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if 'error' in result:
        raise result['error']
    return result['value']


def parse_strict(data):
    """Bytes of a file → the JSON value, or Reject(BUNDLE_JSON_INVALID, exit 2)."""
    if data.startswith(b'\xef\xbb\xbf'):
        raise _unreadable('Not strict JSON: a byte order mark at the start')
    try:
        text = data.decode('utf-8')  # strict: refuses bytes that are not UTF-8 (and encoded surrogates)
    except UnicodeDecodeError as e:
        raise _unreadable(f'The file is not UTF-8 (byte {e.start})')
    try:
        try:
            value = _loads(text)
        except RecursionError:
            value = _loads_deep(text)
    except json.JSONDecodeError as e:
        raise _unreadable(f'Not JSON at offset {e.pos}: {e.msg}')
    _lone_surrogates(value)
    return value


# ==================================================================================================
# Version 1 (docs/specs/draw-protocol.md §11): the existing code path, unchanged in what it checks
# ==================================================================================================

def _v1_fail(path, exp, act):
    raise mismatch(path, act, exp, 'MISMATCH')


def _v1_diff(e, a, p):
    if type(e) is list and type(a) is list:
        for i, (x, y) in enumerate(zip(e, a)): _v1_diff(x, y, f'{p}[{i}]')
        if len(e) != len(a): _v1_fail(p + '.length', len(e), len(a))
    elif type(e) is dict and type(a) is dict:
        for k in sorted(set(e) | set(a)): _v1_diff(e.get(k), a.get(k), f'{p}.{k}')
    elif type(e) is not type(a) or e != a: _v1_fail(p, e, a)


def verify_v1(b):
    fail, diff = _v1_fail, _v1_diff
    c = b['commitment']; src = c['seedSource']; si = b['seedInputs']
    diff(['choucha-draw-bundle-v1', 'choucha-draw-v1', 'choucha-draw-v1'], [b['format'], b['algorithm'], c['algorithm']], '$.version')
    diff(H(canon(c).encode()).hex(), b['commitmentHash'], '$.commitmentHash')
    text = b['roster']; rows = [r.split('\t') for r in text[:-1].split('\n')]; keys = [r[0] for r in rows]
    if not text.endswith('\n') or any(len(r) != 2 for r in rows) or keys != sorted(set(keys)): fail('$.roster', 'canonical', 'not canonical')
    diff([H(text.encode()).hex(), len(rows)], [c['roster']['root'], c['roster']['size']], '$.commitment.roster')
    pop = Counter(r[1] for r in rows); labels = {s['label'] for s in c['strata']}
    if set(pop) - labels: fail('$.commitment.strata', sorted(pop), sorted(labels))
    plan = []
    for s in sorted(c['strata'], key=lambda s: s['label']):
        n = pop[s['label']]; i, _, f = s['ratio'].partition('.'); m = int(i) * 10**6 + int((f + '000000')[:6])
        k = max(-(-m * n // 10**6), s['min']); k = min(k, s['max']) if s['max'] is not None else k
        plan.append(dict(s, population=n, size=min(k, n)))
    diff(plan, c['strata'], '$.commitment.strata')
    dice = ''
    if src['dice']:
        dice = si['dice'] or ''
        if not dice.isdigit() or not dice.isascii() or len(dice) < src['dice']['minDigits']: fail('$.seedInputs.dice', 'enough digits', dice)
    rnd = b''
    if src['drand']:
        bc = si['beacon']; diff(src['drand']['round'], bc['round'], '$.seedInputs.beacon.round')
        diff(H(bytes.fromhex(bc['signature'])).hex(), bc['randomness'], '$.seedInputs.beacon.randomness'); rnd = bytes.fromhex(bc['randomness'])
    seed = H(b'choucha-seed-v1\0' + bytes.fromhex(b['commitmentHash']) + dice.encode() + b'\0' + rnd)
    diff(seed.hex(), b['seed'], '$.seed')
    T = H(b'choucha-ticket-v1\0' + seed); sel = []
    for s in sorted(c['strata'], key=lambda s: s['label']):
        t = sorted((H(T + r[0].encode()).hex(), r[0]) for r in rows if r[1] == s['label'])
        k = min(s['population'], s['size'] + b['escalation'].get(s['label'], 0))
        sel.append(dict(label=s['label'], population=s['population'], size=k,
                        selected=[dict(key=key, stratum=s['label'], rank=j + 1, ticket=h) for j, (h, key) in enumerate(t[:k])]))
    diff(sel, b['selection'], '$.selection')
    # escalation rounds (§8): matched after the committed targets, round by round, each in ticket order
    esc = {l: n for l, n in b['escalation'].items() if n}
    rounds = b.get('escalationRounds')
    if rounds is None: rounds = [esc] if esc else []
    else:
        tot = {}
        for r in rounds:
            for l, n in r.items():
                if n: tot[l] = tot.get(l, 0) + n
        diff(esc, tot, '$.escalationRounds')
    phase = {}
    for s in sorted(c['strata'], key=lambda s: s['label']):
        bounds = [s['size']]
        for r in rounds: bounds.append(min(s['population'], bounds[-1] + r.get(s['label'], 0)))
        for e in next(x for x in sel if x['label'] == s['label'])['selected']:
            phase[e['key']] = next(i for i, u in enumerate(bounds) if e['rank'] <= u)
    mt = c['matching']; fr, to = mt['inspection']['from'], mt['inspection']['to']; rules = mt['rules']; k = rules['teamSize']
    M = H(b'choucha-match-v1\0' + seed); load = {i['id']: i['load'] for i in mt['inspectors']}
    def tb(i): return H(M + i.encode() + b'\0' + load[i].to_bytes(4, 'big'))
    depts = sorted({it['department'] for it in c['items']}); pool = {}
    for d in depts:
        req = {it['field'] for it in c['items'] if it['department'] == d and it['field'] is not None}
        pool[d] = [i['id'] for i in mt['inspectors'] if i['department'] == d and req <= set(i['fields'])
                   and not any(u['from'] <= to and u['to'] >= fr for u in i['unavailable'])
                   and i['certificate']['from'] <= fr and i['certificate']['to'] >= to]
    rec = {(p['inspectorId'], p['key']) for p in mt['recusals'] + (mt['previous'] if rules['avoidPrevious'] else [])}
    teams = []; per_draw = rules.get('maxPerDraw'); drawn = Counter()
    for _, _, key in sorted((phase[e['key']], e['ticket'], e['key']) for s in sel for e in s['selected']):
        tt = []
        for d in depts:
            el = [i for i in pool[d] if (i, key) not in rec and (rules['maxLoad'] is None or load[i] < rules['maxLoad'])
                  and (per_draw is None or drawn[i] < per_draw)]
            if len(el) < k: fail('$.teams', f'no full team for {key} in {d}', 'a team')
            team = sorted(el, key=lambda i: (load[i], tb(i)))[:k]
            for i in team: load[i] += 1; drawn[i] += 1
            tt.append(dict(department=d, inspectorIds=team))
        teams.append(dict(key=key, teams=tt))
    diff(teams, b['teams'], '$.teams')
    return dict(commitmentHash=b['commitmentHash'], seed=seed.hex(), targets=len(teams),
                summary=f'OK: commitment {b["commitmentHash"]}, seed {seed.hex()}, {len(teams)} targets verified (BLS signature not checked)')


# ==================================================================================================
# Version 2 — constants (§3, §6, §8, §9)
# ==================================================================================================

ALGORITHM_V2 = 'choucha-draw-v2'
FORMAT_V1 = 'choucha-draw-bundle-v1'
FORMAT_V2 = 'choucha-draw-bundle-v2'
STAGES = ('committed', 'drawn', 'infeasible', 'matched')

# §6: the known drand chains (v1 §6 table)
CHAINS = {
    '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971': dict(
        name='quicknet', scheme='bls-unchained-g1-rfc9380', signature=48,
        publicKey='83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a'),
    '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce': dict(
        name='default (mainnet)', scheme='pedersen-bls-chained', signature=96,
        publicKey='868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31'),
}


def P(tag):
    """The 64-byte block UTF-8(tag) ‖ 0x00 … (notation of the v2 spec)."""
    b = tag.encode()
    assert len(b) < 64
    return b + bytes(64 - len(b))


P_NONCE = P('choucha-nonce-v2')
P_PSEUDONYM = P('choucha-pseudonym-v2')


def nonce_hash(r):
    """§3: nonceHash(r) = hex(SHA-256(P("choucha-nonce-v2") ‖ r))."""
    return H(P_NONCE + r).hex()


def pseudonym(salt, inspector_id):
    """§7: the first 16 hex digits of SHA-256(P("choucha-pseudonym-v2") ‖ salt ‖ UTF-8(id))."""
    return H(P_PSEUDONYM + salt + inspector_id.encode()).hex()[:16]


# ==================================================================================================
# §12 step 2 — shape: BUNDLE_FIELD_INVALID, BUNDLE_ORDER_INVALID, BUNDLE_DUPLICATE
# ==================================================================================================

_IDENT = re.compile(r'[A-Za-z_$][A-Za-z0-9_$]*', re.ASCII)
_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f]')  # §3: U+0000–U+001F, U+007F–U+009F
_HEX = {n: re.compile(f'[0-9a-f]{{{n}}}', re.ASCII) for n in (16, 32, 64)}
_HEX_ANY = re.compile(r'(?:[0-9a-f]{2})+', re.ASCII)  # "hex": bytes, lower case, at least one
_RATIO = re.compile(r'0\.[0-9]{1,6}|1(?:\.0{1,6})?', re.ASCII)  # §12 table
_DATE = re.compile(r'([0-9]{4})-([0-9]{2})-([0-9]{2})', re.ASCII)
_DIGITS = re.compile(r'[0-9]*', re.ASCII)
# §3 (v1 §3): an 18-character USCC, or a registration number of 13 digits or 15 digits/capitals
_KEY = re.compile(r'[0-9A-HJ-NPQRTUWXY]{18}|[0-9]{13}|[0-9A-Z]{15}', re.ASCII)


def member_path(path, name):
    return f'{path}.{name}' if _IDENT.fullmatch(name) else f'{path}[{show(name)}]'


def is_key(s):
    return type(s) is str and _KEY.fullmatch(s) is not None


def field_invalid(path, message, value=None):
    return Reject('BUNDLE_FIELD_INVALID', path, f'{path}: {message}', actual=value)


class Shape:
    """§12 step 2: member by member in the order of §11 and §5, depth first. An object is checked
    for missing members (in that order) and then unknown ones before its members are descended;
    a list's entries are checked before the list's order and uniqueness."""

    # --- primitives --------------------------------------------------------------------------
    @staticmethod
    def obj(v, path, members):
        if type(v) is not dict:
            raise field_invalid(path, 'not an object', v)
        for m in members:
            if m not in v:
                raise field_invalid(member_path(path, m), 'missing')
        for m in sorted(v):
            if m not in members:
                raise field_invalid(member_path(path, m), 'unknown member')
        return v

    @staticmethod
    def arr(v, path, lo=0, hi=None):
        if type(v) is not list:
            raise field_invalid(path, 'not an array', v)
        if len(v) < lo or (hi is not None and len(v) > hi):
            raise field_invalid(path, f'{len(v)} entries (allowed: {lo} … {hi})', len(v))
        return v

    @staticmethod
    def integer(v, path, lo, hi):
        if type(v) is not int:  # not bool (a subclass of int in Python)
            raise field_invalid(path, 'not an integer', v)
        if v < lo or v > hi:
            raise field_invalid(path, f'{v} is out of range ({lo} … {hi})', v)
        return v

    @staticmethod
    def boolean(v, path):
        if type(v) is not bool:
            raise field_invalid(path, 'not a boolean', v)
        return v

    @staticmethod
    def string(v, path, lo=0, hi=None, control=False, nul=False):
        """Lengths in code points (Python's len of a str; lone surrogates are already refused)."""
        if type(v) is not str:
            raise field_invalid(path, 'not a string', v)
        if len(v) < lo or (hi is not None and len(v) > hi):
            raise field_invalid(path, f'{len(v)} code points (allowed: {lo} … {hi})', v)
        if control and _CONTROL.search(v):
            raise field_invalid(path, 'contains a control character', v)
        if nul and '\x00' in v:
            raise field_invalid(path, 'contains U+0000', v)
        return v

    @staticmethod
    def hex(v, path, n):
        if type(v) is not str or not _HEX[n].fullmatch(v):
            raise field_invalid(path, f'not {n} lower-case hex digits', v)
        return v

    @staticmethod
    def hex_bytes(v, path):
        if type(v) is not str or not _HEX_ANY.fullmatch(v):
            raise field_invalid(path, 'not lower-case hex bytes', v)
        return v

    @staticmethod
    def enum(v, path, values):
        if type(v) is not str or v not in values:
            raise field_invalid(path, f'not one of {", ".join(values)}', v)
        return v

    @staticmethod
    def null_or(v, f, *args):
        return None if v is None else f(v, *args)

    @staticmethod
    def date(v, path):
        """YYYY-MM-DD, a real Gregorian date, year 1900 … 9999."""
        m = _DATE.fullmatch(v) if type(v) is str else None
        if not m:
            raise field_invalid(path, 'not a date YYYY-MM-DD', v)
        y, mo, d = (int(x) for x in m.groups())
        if not 1900 <= y <= 9999:
            raise field_invalid(path, 'year out of range (1900 … 9999)', v)
        try:
            datetime.date(y, mo, d)
        except ValueError:
            raise field_invalid(path, 'not a real date', v)
        return v

    def date_range(self, v, path):
        self.obj(v, path, ('from', 'to'))
        self.date(v['from'], f'{path}.from')
        self.date(v['to'], f'{path}.to')
        if v['from'] > v['to']:
            raise field_invalid(f'{path}.to', f'before from ({v["from"]})', v['to'])
        return v

    @staticmethod
    def ordered(entries, path, key):
        """Strictly increasing by key (code-point order: Python's str and tuple comparison)."""
        for i in range(1, len(entries)):
            a, b = key(entries[i - 1]), key(entries[i])
            if a == b:
                raise Reject('BUNDLE_DUPLICATE', f'{path}[{i}]', f'{path}[{i}]: repeats the entry before it',
                             actual=entries[i])
            if a > b:
                raise Reject('BUNDLE_ORDER_INVALID', f'{path}[{i}]', f'{path}[{i}]: out of order', actual=entries[i])

    def label(self, v, path):
        # §3: 1 to 64 code points, no control character
        return self.string(v, path, 1, 64, control=True)

    # --- the bundle (§11) ---------------------------------------------------------------------
    BASE = ('format', 'view', 'commitment', 'commitmentHash', 'roster', 'stage', 'seedInputs', 'seed',
            'escalations', 'selection', 'teams', 'infeasible', 'supersededBy')

    def bundle(self, b):
        if type(b) is not dict:
            raise field_invalid('$', 'not an object', b)
        for m in self.BASE:
            if m not in b:
                raise field_invalid(member_path('$', m), 'missing')
        view = self.enum(b['view'], '$.view', ('public', 'full'))
        # `private` present iff view is full
        if view == 'full' and 'private' not in b:
            raise field_invalid('$.private', 'missing (view is full)')
        if view == 'public' and 'private' in b:
            raise field_invalid('$.private', 'present in a public view')
        for m in sorted(b):
            if m not in self.BASE and m != 'private':
                raise field_invalid(member_path('$', m), 'unknown member')

        c = self.commitment(b['commitment'], '$.commitment')
        self.hex(b['commitmentHash'], '$.commitmentHash', 64)
        self.string(b['roster'], '$.roster')
        stage = self.enum(b['stage'], '$.stage', STAGES)
        committed = stage == 'committed'

        # the null/non-null pattern of the stage (§11)
        def pattern(name, present):
            v = b[name]
            if present and v is None:
                raise field_invalid(f'$.{name}', f'null in stage {stage}')
            if not present and v is not None:
                raise field_invalid(f'$.{name}', f'must be null in stage {stage}', v)
            return v

        if pattern('seedInputs', not committed) is not None:
            self.seed_inputs(b['seedInputs'], '$.seedInputs', c['seedSource'])
        if pattern('seed', not committed) is not None:
            self.hex(b['seed'], '$.seed', 64)
        esc = self.arr(b['escalations'], '$.escalations')
        for i, n in enumerate(esc):
            self.integer(n, f'$.escalations[{i}]', 0, 10**8)
        if committed and esc:
            raise field_invalid('$.escalations', 'must be [] in stage committed', esc)
        if pattern('selection', not committed) is not None:
            self.selection(b['selection'], '$.selection', len(esc))
        if pattern('teams', stage == 'matched') is not None:
            self.teams(b['teams'], '$.teams')
        if pattern('infeasible', stage == 'infeasible') is not None:
            self.arr(b['infeasible'], '$.infeasible', 1)
            for i, e in enumerate(b['infeasible']):
                p = f'$.infeasible[{i}]'
                self.obj(e, p, ('key', 'department'))
                self.string(e['key'], f'{p}.key')
                self.string(e['department'], f'{p}.department')
        self.null_or(b['supersededBy'], self.hex, '$.supersededBy', 64)
        if view == 'full':
            self.private(b['private'], '$.private', len(esc))
        return b

    # --- the commitment (§5) ------------------------------------------------------------------
    def commitment(self, c, path):
        self.obj(c, path, ('algorithm', 'task', 'attempt', 'predecessor', 'audit', 'items', 'roster',
                           'strata', 'matching', 'seedSource'))
        self.enum(c['algorithm'], f'{path}.algorithm', (ALGORITHM_V2,))
        t = self.obj(c['task'], f'{path}.task', ('id', 'name'))
        self.string(t['id'], f'{path}.task.id', 1, 64, control=True)
        self.string(t['name'], f'{path}.task.name', 1, 200, control=True)
        attempt = self.integer(c['attempt'], f'{path}.attempt', 1, 1000)
        self.null_or(c['predecessor'], self.hex, f'{path}.predecessor', 64)
        if (c['predecessor'] is None) != (attempt == 1):
            raise field_invalid(f'{path}.predecessor', 'must be null iff attempt is 1', c['predecessor'])
        a = self.obj(c['audit'], f'{path}.audit', ('seq', 'hash'))
        self.integer(a['seq'], f'{path}.audit.seq', 0, MAX_SAFE)
        self.hex(a['hash'], f'{path}.audit.hash', 64)

        items = self.arr(c['items'], f'{path}.items', 1, 1000)
        for i, it in enumerate(items):
            p = f'{path}.items[{i}]'
            self.obj(it, p, ('id', 'department', 'field'))
            self.string(it['id'], f'{p}.id', 1, 64, control=True)
            self.string(it['department'], f'{p}.department', 1, 64, control=True)
            self.null_or(it['field'], self.string, f'{p}.field', 1, 64)
        self.ordered(items, f'{path}.items', lambda it: it['id'])

        r = self.obj(c['roster'], f'{path}.roster', ('root', 'size', 'openingsRoot'))
        self.hex(r['root'], f'{path}.roster.root', 64)
        self.integer(r['size'], f'{path}.roster.size', 1, 10**8)
        self.hex(r['openingsRoot'], f'{path}.roster.openingsRoot', 64)

        strata = self.arr(c['strata'], f'{path}.strata', 1, 1000)
        for i, s in enumerate(strata):
            p = f'{path}.strata[{i}]'
            self.obj(s, p, ('label', 'ratio', 'min', 'max', 'population', 'size'))
            self.label(s['label'], f'{p}.label')
            ratio = s['ratio']
            if type(ratio) is not str or not _RATIO.fullmatch(ratio) or ratio_millionths(ratio) == 0:
                raise field_invalid(f'{p}.ratio', 'not a ratio in (0, 1] with at most 6 decimals', ratio)
            lo = self.integer(s['min'], f'{p}.min', 0, 10**8)
            self.null_or(s['max'], self.integer, f'{p}.max', max(1, lo), 10**8)
            pop = self.integer(s['population'], f'{p}.population', 1, 10**8)
            self.integer(s['size'], f'{p}.size', 0, pop)
        self.ordered(strata, f'{path}.strata', lambda s: s['label'])

        mt = self.obj(c['matching'], f'{path}.matching', ('inspection', 'rules', 'pool', 'exclusions', 'root'))
        self.date_range(mt['inspection'], f'{path}.matching.inspection')
        ru = self.obj(mt['rules'], f'{path}.matching.rules', ('teamSize', 'maxLoad', 'maxPerDraw', 'avoidPrevious'))
        self.integer(ru['teamSize'], f'{path}.matching.rules.teamSize', 2, 20)
        self.null_or(ru['maxLoad'], self.integer, f'{path}.matching.rules.maxLoad', 1, 10**6)
        self.null_or(ru['maxPerDraw'], self.integer, f'{path}.matching.rules.maxPerDraw', 1, 10**6)
        self.boolean(ru['avoidPrevious'], f'{path}.matching.rules.avoidPrevious')
        departments = {it['department'] for it in items}
        pool = self.arr(mt['pool'], f'{path}.matching.pool', 0, 100000)
        for i, e in enumerate(pool):
            p = f'{path}.matching.pool[{i}]'
            self.obj(e, p, ('pseudonym', 'department', 'load'))
            self.hex(e['pseudonym'], f'{p}.pseudonym', 16)
            if type(e['department']) is not str or e['department'] not in departments:
                raise field_invalid(f'{p}.department', "not one of the items' departments", e['department'])
            self.integer(e['load'], f'{p}.load', 0, 10**6)
        self.ordered(pool, f'{path}.matching.pool', lambda e: e['pseudonym'])
        exclusions = self.arr(mt['exclusions'], f'{path}.matching.exclusions')
        for i, e in enumerate(exclusions):
            p = f'{path}.matching.exclusions[{i}]'
            self.obj(e, p, ('pseudonym', 'key'))
            self.hex(e['pseudonym'], f'{p}.pseudonym', 16)
            if not is_key(e['key']):
                raise field_invalid(f'{p}.key', 'not a key (§3)', e['key'])
        self.ordered(exclusions, f'{path}.matching.exclusions', lambda e: (e['pseudonym'], e['key']))
        self.hex(mt['root'], f'{path}.matching.root', 64)

        ss = self.obj(c['seedSource'], f'{path}.seedSource', ('dice', 'drand'))
        if ss['dice'] is not None:
            self.obj(ss['dice'], f'{path}.seedSource.dice', ('digits',))
            self.integer(ss['dice']['digits'], f'{path}.seedSource.dice.digits', 20, 100)
        if ss['drand'] is not None:
            p = f'{path}.seedSource.drand'
            d = self.obj(ss['drand'], p, ('chainHash', 'publicKey', 'scheme', 'round'))
            self.hex(d['chainHash'], f'{p}.chainHash', 64)
            self.hex_bytes(d['publicKey'], f'{p}.publicKey')
            self.string(d['scheme'], f'{p}.scheme')
            self.integer(d['round'], f'{p}.round', 1, MAX_SAFE)
        if ss['dice'] is None and ss['drand'] is None:
            raise field_invalid(f'{path}.seedSource', 'neither dice nor drand')
        return c

    # --- seed inputs, selection, teams (§11) --------------------------------------------------
    def seed_inputs(self, si, path, source):
        self.obj(si, path, ('dice', 'beacon'))
        if (si['dice'] is None) != (source['dice'] is None):
            raise field_invalid(f'{path}.dice', 'null iff the commitment names no dice', si['dice'])
        if si['dice'] is not None:
            if type(si['dice']) is not str or not _DIGITS.fullmatch(si['dice']):
                raise field_invalid(f'{path}.dice', 'not a string of digits 0–9', si['dice'])
        if (si['beacon'] is None) != (source['drand'] is None):
            raise field_invalid(f'{path}.beacon', 'null iff the commitment names no drand round', si['beacon'])
        if si['beacon'] is not None:
            p = f'{path}.beacon'
            bc = self.obj(si['beacon'], p, ('round', 'randomness', 'signature', 'previousSignature'))
            self.integer(bc['round'], f'{p}.round', -MAX_SAFE, MAX_SAFE)
            self.hex(bc['randomness'], f'{p}.randomness', 64)
            # lower-case hex of any number of bytes: their lengths and presence per scheme are step 4.6
            # ("hex of any length": read as whole bytes, at least one, as the TypeScript shape does)
            self.hex_bytes(bc['signature'], f'{p}.signature')
            self.null_or(bc['previousSignature'], self.hex_bytes, f'{p}.previousSignature')

    def selection(self, sel, path, rounds):
        self.arr(sel, path)
        for i, e in enumerate(sel):
            p = f'{path}[{i}]'
            self.obj(e, p, ('key', 'nonce', 'ticket', 'phase'))
            self.string(e['key'], f'{p}.key')
            self.hex(e['nonce'], f'{p}.nonce', 32)
            self.hex(e['ticket'], f'{p}.ticket', 64)
            self.integer(e['phase'], f'{p}.phase', 0, rounds)
        # by (phase, ticket, key); keys unique
        self.ordered(sel, path, lambda e: (e['phase'], e['ticket'], e['key']))
        seen = set()
        for i, e in enumerate(sel):
            if e['key'] in seen:
                raise Reject('BUNDLE_DUPLICATE', f'{path}[{i}].key', f'{path}[{i}].key: the key {e["key"]} twice',
                             actual=e['key'])
            seen.add(e['key'])

    def teams(self, teams, path):
        self.arr(teams, path)
        for i, t in enumerate(teams):
            p = f'{path}[{i}]'
            self.obj(t, p, ('key', 'teams'))
            self.string(t['key'], f'{p}.key')
            self.arr(t['teams'], f'{p}.teams')
            for j, d in enumerate(t['teams']):
                q = f'{p}.teams[{j}]'
                self.obj(d, q, ('department', 'inspectors'))
                self.string(d['department'], f'{q}.department')
                self.arr(d['inspectors'], f'{q}.inspectors')
                for k, x in enumerate(d['inspectors']):
                    self.hex(x, f'{q}.inspectors[{k}]', 16)

    # --- the private part of a full bundle (§7, §11) ------------------------------------------
    def private(self, pv, path, rounds):
        self.obj(pv, path, ('openings', 'matching', 'escalations'))
        self.string(pv['openings'], f'{path}.openings')
        pm = self.obj(pv['matching'], f'{path}.matching', ('salt', 'inspectors', 'recusals', 'previous'))
        self.hex(pm['salt'], f'{path}.matching.salt', 64)
        inspectors = self.arr(pm['inspectors'], f'{path}.matching.inspectors')
        for i, ins in enumerate(inspectors):
            p = f'{path}.matching.inspectors[{i}]'
            self.obj(ins, p, ('id', 'department', 'fields', 'certificate', 'unavailable', 'load'))
            self.string(ins['id'], f'{p}.id', 1, 64, nul=True)
            self.string(ins['department'], f'{p}.department')
            fields = self.arr(ins['fields'], f'{p}.fields')
            for j, f in enumerate(fields):
                self.string(f, f'{p}.fields[{j}]', 1, 64)
            self.ordered(fields, f'{p}.fields', lambda f: f)
            self.date_range(ins['certificate'], f'{p}.certificate')
            un = self.arr(ins['unavailable'], f'{p}.unavailable')
            for j, u in enumerate(un):
                self.date_range(u, f'{p}.unavailable[{j}]')
            self.ordered(un, f'{p}.unavailable', lambda u: (u['from'], u['to']))
            self.integer(ins['load'], f'{p}.load', 0, 10**6)
        self.ordered(inspectors, f'{path}.matching.inspectors', lambda ins: ins['id'])
        for name in ('recusals', 'previous'):
            q = f'{path}.matching.{name}'
            pairs = self.arr(pm[name], q)
            for i, e in enumerate(pairs):
                self.obj(e, f'{q}[{i}]', ('inspectorId', 'key'))
                self.string(e['inspectorId'], f'{q}[{i}].inspectorId', 1, 64, nul=True)
                self.string(e['key'], f'{q}[{i}].key')
            self.ordered(pairs, q, lambda e: (e['inspectorId'], e['key']))
        esc = self.arr(pv['escalations'], f'{path}.escalations')
        if len(esc) != rounds:
            raise field_invalid(f'{path}.escalations', f'{len(esc)} rounds, $.escalations has {rounds}', len(esc))
        for i, rnd in enumerate(esc):
            q = f'{path}.escalations[{i}]'
            self.arr(rnd, q)
            for j, e in enumerate(rnd):
                self.obj(e, f'{q}[{j}]', ('label', 'extra'))
                self.label(e['label'], f'{q}[{j}].label')
                self.integer(e['extra'], f'{q}[{j}].extra', 1, 10**8)
            self.ordered(rnd, q, lambda e: e['label'])


def ratio_millionths(ratio):
    """§4: m = ratio × 10^6 as an exact integer."""
    i, _, f = ratio.partition('.')
    return int(i) * 10**6 + int((f + '000000')[:6])


def stratum_size(m, n, lo, hi):
    """§4: size = min(N, clampMax(max(ceil(m·N/10^6), min)))."""
    k = max(-(-m * n // 10**6), lo)
    if hi is not None:
        k = min(k, hi)
    return min(n, k)


# ==================================================================================================
# §12 step 3 — the drand source (§6)
# ==================================================================================================

def check_drand(c):
    d = c['seedSource']['drand']
    if d is None:
        return None
    p = '$.commitment.seedSource.drand'
    chain = CHAINS.get(d['chainHash'])
    if chain is None:
        raise Reject('DRAND_CHAIN_UNKNOWN', f'{p}.chainHash', f'Unknown drand chain {d["chainHash"]}',
                     actual=d['chainHash'])
    if d['scheme'] != chain['scheme']:
        raise mismatch(f'{p}.scheme', d['scheme'], chain['scheme'],
                       f'The {chain["name"]} chain has another scheme', 'DRAND_SCHEME_UNKNOWN')
    if d['publicKey'] != chain['publicKey']:
        raise mismatch(f'{p}.publicKey', d['publicKey'], chain['publicKey'],
                       f'Not the public key of the {chain["name"]} chain', 'DRAND_KEY_MISMATCH')
    return chain


# ==================================================================================================
# §12 step 4 — recompute
# ==================================================================================================

def parse_public_roster(text):
    """§3 / §12 step 4.2: lines `key TAB hex64 LF`, keys strictly increasing. → (keys, hashes).
    Line by line, each line: its LF, its tab, the key, the hash, the order (as the TypeScript
    verifier, so that both name the same first problem)."""
    keys, hashes = [], []
    lines = text.split('\n')
    for n, line in enumerate(lines, 1):
        if n == len(lines):  # after the last LF: nothing may follow
            if line:
                raise Reject('DRAW_BUNDLE_MISMATCH', '$.roster', f'Roster line {n} does not end with a line feed')
            break
        key, tab, h = line.partition('\t')
        if not tab:
            raise Reject('DRAW_BUNDLE_MISMATCH', '$.roster', f'Roster line {n} has no tab', actual=line)
        if not is_key(key):
            raise Reject('DRAW_KEY_INVALID', '$.roster', f'Roster line {n}: {show(key)} is not a key (§3)', actual=key)
        if not _HEX[64].fullmatch(h):
            raise Reject('DRAW_BUNDLE_MISMATCH', '$.roster', f'Roster line {n}: the nonce hash is not 64 hex digits',
                         actual=h)
        if keys and key <= keys[-1]:
            if key == keys[-1]:
                raise Reject('DRAW_DUPLICATE_KEY', '$.roster', f'Roster line {n}: the key {key} twice', actual=key)
            raise Reject('BUNDLE_ORDER_INVALID', '$.roster', f'Roster line {n}: {key} after {keys[-1]}', actual=key)
        keys.append(key)
        hashes.append(h)
    return keys, hashes


def parse_openings(text, keys, hashes, strata):
    """§3 / §12 step 4.9: lines `key TAB label TAB hex32 LF`: the roster's keys in its order, each
    label a stratum of the commitment, each nonce hashing to its roster line. → labels, nonces
    (bytes), in roster order. Every problem here is DRAW_BUNDLE_MISMATCH at $.private.openings;
    the label is checked with its line, before the root (as the TypeScript verifier does)."""
    p = '$.private.openings'
    lines = text.split('\n')
    complete, rest = lines[:-1], lines[-1]  # rest: what follows the last LF
    if rest:
        raise Reject('DRAW_BUNDLE_MISMATCH', p, f'Openings line {len(lines)} does not end with a line feed')
    if len(complete) != len(keys):
        raise mismatch(p, len(complete), len(keys), 'The openings have another number of lines than the roster')
    labels, nonces = [], []
    for n, (line, key) in enumerate(zip(complete, keys), 1):
        parts = line.split('\t')
        if len(parts) != 3:
            raise Reject('DRAW_BUNDLE_MISMATCH', p, f'Openings line {n} is not `key TAB stratum TAB nonce`',
                         actual=line)
        k, label, r = parts
        if k != key:
            raise mismatch(p, k, key, f'Openings line {n}: not the key of roster line {n}')
        if label not in strata:
            raise Reject('DRAW_BUNDLE_MISMATCH', p, f'Openings line {n}: {show(label)} is not a stratum of the commitment',
                         actual=label)
        if not _HEX[32].fullmatch(r):
            raise Reject('DRAW_BUNDLE_MISMATCH', p, f'Openings line {n}: the nonce is not 32 lower-case hex digits',
                         actual=r)
        r = bytes.fromhex(r)
        if nonce_hash(r) != hashes[n - 1]:
            raise mismatch(p, nonce_hash(r), hashes[n - 1],
                           f'Openings line {n}: the nonce of {key} does not hash to its roster line')
        labels.append(label)
        nonces.append(r)
    return labels, nonces


def match_v2(c, selection, seed):
    """§9: the matching on the pseudonymous pool. → (teams, infeasible) in processing order."""
    mt = c['matching']
    rules = mt['rules']
    k, max_load, per_draw = rules['teamSize'], rules['maxLoad'], rules['maxPerDraw']
    M = H(b'choucha-match-v2\0' + seed)
    departments = sorted({it['department'] for it in c['items']})
    load = {e['pseudonym']: e['load'] for e in mt['pool']}
    drawn = Counter()
    pool = {d: [e['pseudonym'] for e in mt['pool'] if e['department'] == d] for d in departments}
    excluded = {(e['pseudonym'], e['key']) for e in mt['exclusions']}
    tb_cache = {}

    def tiebreak(ps):  # SHA-256(M ‖ UTF-8(pseudonym) ‖ 0x00 ‖ be32(load)), fresh at every load level
        l = load[ps]
        t = tb_cache.get(ps)
        if t is None or t[0] != l:
            t = (l, H(M + ps.encode() + b'\0' + l.to_bytes(4, 'big')))
            tb_cache[ps] = t
        return t[1]

    teams, infeasible = [], []
    for e in selection:  # already in (phase, ticket, key) order (§8, checked by the shape)
        key = e['key']
        per_target = []
        for d in departments:
            cand = [ps for ps in pool[d] if (ps, key) not in excluded
                    and (max_load is None or load[ps] < max_load)
                    and (per_draw is None or drawn[ps] < per_draw)]
            if len(cand) < k:
                infeasible.append(dict(key=key, department=d))
                continue  # no partial team: loads unchanged (as v1 §9)
            team = heapq.nsmallest(k, cand, key=lambda ps: (load[ps], tiebreak(ps)))
            for ps in team:
                load[ps] += 1
                drawn[ps] += 1
            per_target.append(dict(department=d, inspectors=team))
        teams.append(dict(key=key, teams=per_target))
    return teams, infeasible


class VerifierV2:
    """§12 steps 2–4 on a parsed v2 bundle: run() returns what the output reports, or raises the
    first Reject. Each step below is numbered as in §12."""

    def __init__(self, b):
        self.b = b
        self.info = {}

    def run(self):
        b = self.b
        Shape().bundle(b)  # step 2
        c = b['commitment']
        info = self.info
        info.update(stage=b['stage'], view=b['view'], commitmentHash=b['commitmentHash'],
                    attempt=c['attempt'], predecessor=c['predecessor'], supersededBy=b['supersededBy'],
                    seedSource=seed_source_text(c), drand=c['seedSource']['drand'] is not None)
        chain = check_drand(c)  # step 3
        info['chain'] = chain

        # 4.1 commitmentHash
        h = H(canon(c).encode()).hex()
        if h != b['commitmentHash']:
            raise mismatch('$.commitmentHash', b['commitmentHash'], h, 'The commitment hash differs')

        # 4.2 the public roster text
        keys, hashes = parse_public_roster(b['roster'])
        root = H(b['roster'].encode()).hex()
        if root != c['roster']['root']:
            raise mismatch('$.commitment.roster.root', c['roster']['root'], root, 'The roster root differs')
        if len(keys) != c['roster']['size']:
            raise mismatch('$.commitment.roster.size', c['roster']['size'], len(keys), 'The roster size differs')
        roster = dict(zip(keys, hashes))

        # 4.3 strata: populations add up to the roster size; each size by §4
        total = sum(s['population'] for s in c['strata'])
        if total != c['roster']['size']:
            raise mismatch('$.commitment.strata', total, c['roster']['size'],
                           'The populations of the strata do not add up to the roster size')
        for i, s in enumerate(c['strata']):
            k = stratum_size(ratio_millionths(s['ratio']), s['population'], s['min'], s['max'])
            if k != s['size']:
                raise mismatch(f'$.commitment.strata[{i}].size', s['size'], k, 'The stratum size differs (§4)')
        info['strata'] = [(s['label'], s['population'], s['size']) for s in c['strata']]

        # 4.4 matching references
        pool_ps = {e['pseudonym'] for e in c['matching']['pool']}
        for i, e in enumerate(c['matching']['exclusions']):
            p = f'$.commitment.matching.exclusions[{i}]'
            if e['key'] not in roster:
                raise field_invalid(f'{p}.key', 'not a key of the roster', e['key'])
            if e['pseudonym'] not in pool_ps:
                raise field_invalid(f'{p}.pseudonym', 'not a pseudonym of the pool', e['pseudonym'])

        # 4.5 stage committed: in the full view, first the checks of step 9 that need no seed; stop
        if b['stage'] == 'committed':
            if b['view'] == 'full':
                self.full_view(keys, hashes, None)
            return info

        # 4.6 seed
        seed = self.seed(c, chain)
        info['seed'] = seed.hex()

        # 4.7 selection
        T = H(b'choucha-ticket-v2\0' + seed)
        head = T + bytes(32)  # the first 64 bytes: fixed per draw (§8)
        sel = b['selection']
        for i, e in enumerate(sel):
            p = f'$.selection[{i}]'
            if e['key'] not in roster:
                raise field_invalid(f'{p}.key', 'not a key of the roster', e['key'])
            r = bytes.fromhex(e['nonce'])
            nh = nonce_hash(r)
            if nh != roster[e['key']]:
                # found: what the nonce hashes to; expected: the key's roster line
                raise mismatch(f'{p}.nonce', nh, roster[e['key']],
                               f'The nonce of {e["key"]} does not hash to its roster line')
            t = H(head + r + e['key'].encode()).hex()
            if t != e['ticket']:
                raise mismatch(f'{p}.ticket', e['ticket'], t, 'The ticket differs')
        per_phase = Counter(e['phase'] for e in sel)
        committed_total = sum(s['size'] for s in c['strata'])
        if per_phase[0] != committed_total:
            raise mismatch('$.selection', per_phase[0], committed_total,
                           'The number of phase-0 entries is not the sum of the committed sizes')
        for i, n in enumerate(b['escalations']):
            if per_phase[i + 1] != n:
                raise mismatch(f'$.escalations[{i}]', n, per_phase[i + 1],
                               f'Escalation round {i + 1} added another number of entries to the selection')
        info['targets'] = len(sel)

        # 4.8 stage drawn: no matching (the full view still goes on to 4.9); otherwise the matching
        if b['stage'] != 'drawn':
            teams, infeasible = match_v2(c, sel, seed)
            if infeasible and b['stage'] == 'matched':
                raise mismatch('$.stage', 'matched', 'infeasible', 'The matching is infeasible')
            if not infeasible and b['stage'] == 'infeasible':
                raise mismatch('$.stage', 'infeasible', 'matched', 'The matching is feasible')
            if b['stage'] == 'matched':
                must_equal(teams, b['teams'], '$.teams', 'The teams differ')
                info['teams'] = len(teams)
            else:
                must_equal(infeasible, b['infeasible'], '$.infeasible', 'The infeasible pairs differ')
                info['infeasible'] = len(infeasible)

        # 4.9 full view only
        if b['view'] == 'full':
            self.full_view(keys, hashes, head)
        return info

    def seed(self, c, chain):
        """§6 / §12 step 4.6."""
        b, src, si = self.b, c['seedSource'], self.b['seedInputs']
        dice = ''
        if src['dice'] is not None:
            dice = si['dice']
            if len(dice) != src['dice']['digits']:
                raise mismatch('$.seedInputs.dice', len(dice), src['dice']['digits'],
                               f'The dice have {len(dice)} digits, the commitment says exactly {src["dice"]["digits"]}',
                               'DRAW_DICE_LENGTH')
        rnd = b''
        if src['drand'] is not None:
            bc, p = si['beacon'], '$.seedInputs.beacon'
            if bc['round'] != src['drand']['round']:
                raise mismatch(f'{p}.round', bc['round'], src['drand']['round'],
                               'The beacon is for another round than the committed one', 'DRAW_SEED_MISMATCH')
            # the signature's length for the scheme, previousSignature per scheme, then randomness
            if len(bc['signature']) != 2 * chain['signature']:
                n = chain['signature']
                raise mismatch(f'{p}.signature', f'{len(bc["signature"])} hex digits', f'{2 * n} hex digits ({n} bytes)',
                               f'A {chain["scheme"]} signature has {n} bytes', 'DRAW_BEACON_INVALID')
            sig = bytes.fromhex(bc['signature'])
            prev = bc['previousSignature']
            if chain['scheme'] == 'pedersen-bls-chained' and (prev is None or len(prev) != 192):
                raise mismatch(f'{p}.previousSignature', prev, '96 bytes of hex',
                               'A pedersen-bls-chained beacon carries the previous signature', 'DRAW_BEACON_INVALID')
            if chain['scheme'] == 'bls-unchained-g1-rfc9380' and prev is not None:
                raise mismatch(f'{p}.previousSignature', prev, None,
                               'A bls-unchained-g1-rfc9380 beacon has no previous signature', 'DRAW_BEACON_INVALID')
            if H(sig).hex() != bc['randomness']:
                raise mismatch(f'{p}.randomness', bc['randomness'], H(sig).hex(),
                               'The beacon randomness is not SHA-256 of its signature', 'DRAW_BEACON_INVALID')
            # The BLS signature itself: NOT checked here (standard library only), said in the output.
            rnd = bytes.fromhex(bc['randomness'])
        seed = H(b'choucha-seed-v2\0' + bytes.fromhex(b['commitmentHash']) + dice.encode() + b'\0' + rnd)
        if seed.hex() != b['seed']:
            raise mismatch('$.seed', b['seed'], seed.hex(), 'The seed differs')
        return seed

    def full_view(self, keys, hashes, head):
        """§12 step 4.9: what only the supervisor's bundle lets one check."""
        b, c = self.b, self.b['commitment']
        pv, mt = b['private'], c['matching']
        pm = pv['matching']
        # matching.root from private.matching (§7)
        root = H(canon(pm).encode()).hex()
        if root != mt['root']:
            raise mismatch('$.commitment.matching.root', mt['root'], root, 'The private matching record differs')
        # the pseudonyms, the pool and the exclusions from it (§7)
        salt = bytes.fromhex(pm['salt'])
        ps_of, seen = {}, {}
        for j, ins in enumerate(pm['inspectors']):
            ps = pseudonym(salt, ins['id'])
            if ps in seen:
                raise Reject('DRAW_BUNDLE_MISMATCH', f'$.private.matching.inspectors[{j}].id',
                             f'The pseudonyms of {seen[ps]} and {ins["id"]} are the same ({ps})')
            seen[ps] = ins['id']
            ps_of[ins['id']] = ps
        fr, to = mt['inspection']['from'], mt['inspection']['to']
        items = c['items']
        departments = {it['department'] for it in items}
        required = {d: {it['field'] for it in items if it['department'] == d and it['field'] is not None}
                    for d in departments}
        # statically eligible for d (§7, v1 §9): department d, no unavailable range overlapping the
        # inspection, the certificate covering it, every field of d's items
        eligible = set()
        pool = []
        for ins in pm['inspectors']:
            d = ins['department']
            if (d in departments
                    and not any(u['from'] <= to and u['to'] >= fr for u in ins['unavailable'])
                    and ins['certificate']['from'] <= fr and ins['certificate']['to'] >= to
                    and required[d] <= set(ins['fields'])):
                eligible.add(ins['id'])
                pool.append(dict(pseudonym=ps_of[ins['id']], department=d, load=ins['load']))
        pool.sort(key=lambda e: e['pseudonym'])
        must_equal(pool, mt['pool'], '$.commitment.matching.pool',
                   'The pool is not the statically eligible inspectors')
        # exclusions: recusals (and previous when avoidPrevious) of pool inspectors and roster keys
        in_roster = set(keys)
        pairs = pm['recusals'] + (pm['previous'] if mt['rules']['avoidPrevious'] else [])
        exclusions = sorted({(ps_of[e['inspectorId']], e['key']) for e in pairs
                             if e['inspectorId'] in eligible and e['key'] in in_roster})
        must_equal([dict(pseudonym=p, key=k) for p, k in exclusions], mt['exclusions'],
                   '$.commitment.matching.exclusions', 'The exclusions differ')
        # the openings text: lines, keys, labels, nonces, then the root
        index = {s['label']: i for i, s in enumerate(c['strata'])}
        labels, nonces = parse_openings(pv['openings'], keys, hashes, index)
        oroot = H(pv['openings'].encode()).hex()
        if oroot != c['roster']['openingsRoot']:
            raise mismatch('$.commitment.roster.openingsRoot', c['roster']['openingsRoot'], oroot,
                           'The openings root differs')
        # every label a stratum of the commitment (above), with the committed population
        pop = Counter(labels)
        for i, s in enumerate(c['strata']):
            if pop[s['label']] != s['population']:
                raise mismatch(f'$.commitment.strata[{i}].population', s['population'], pop[s['label']],
                               'The population differs from the openings')
        if head is None:  # committed: no seed yet (step 5)
            return
        # every label of a private escalation round a stratum of the commitment; the selection per
        # stratum (§8) with the private escalation rounds
        rounds = []
        for i, rnd in enumerate(pv['escalations']):
            extra = {}
            for j, e in enumerate(rnd):
                if e['label'] not in index:
                    raise Reject('DRAW_STRATUM_UNKNOWN', f'$.private.escalations[{i}][{j}].label',
                                 f'{show(e["label"])} is not a stratum of the commitment', actual=e['label'])
                extra[e['label']] = e['extra']
            rounds.append(extra)
        members = {}
        for n, key in enumerate(keys):
            members.setdefault(labels[n], []).append(n)
        expected = []
        added = [0] * len(rounds)
        for s in c['strata']:
            tickets = sorted((H(head + nonces[n] + keys[n].encode()).hex(), keys[n], n) for n in members[s['label']])
            bounds = [s['size']]
            for i, extra in enumerate(rounds):
                bounds.append(min(s['population'], bounds[-1] + extra.get(s['label'], 0)))
                added[i] += bounds[-1] - bounds[-2]
            phase = 0
            for rank, (t, key, n) in enumerate(tickets[:bounds[-1]], 1):
                while rank > bounds[phase]:
                    phase += 1
                expected.append(dict(key=key, nonce=nonces[n].hex(), ticket=t, phase=phase))
        expected.sort(key=lambda e: (e['phase'], e['ticket'], e['key']))
        must_equal(expected, b['selection'], '$.selection', 'The selection per stratum differs')
        # the public escalation counts from the private rounds
        must_equal(added, b['escalations'], '$.escalations', 'The escalation counts differ from the private rounds')


# ==================================================================================================
# Files, verdicts and output (§12: exit 0 / 1 / 2; §11: the output names stage, view, BLS, supersededBy)
# ==================================================================================================

def verify_file(path):
    """→ dict(file, verdict, exit, code, path, message, stage, view, blsChecked, info, error)."""
    out = dict(file=path, verdict='verified', exit=0, code=None, path=None, message=None,
               stage=None, view=None, blsChecked=False)
    info = {}
    try:
        try:
            with open(path, 'rb') as f:
                data = f.read()
        except OSError as e:
            # exit 2 (§12); no error code names this (as `choucha verify`: code null)
            raise _unreadable(f'The file cannot be read: {e.strerror or e}', code=None)
        value = parse_strict(data)  # step 1
        fmt = value.get('format') if type(value) is dict else None
        if fmt == FORMAT_V1:
            info['format'] = FORMAT_V1
            try:
                info.update(verify_v1(value))
            except (KeyError, TypeError, ValueError, AttributeError, IndexError, StopIteration, RecursionError) as e:
                # not a v1 bundle object: unreadable (exit 2), as v1 §11 says of the command line
                raise Reject('BUNDLE_FIELD_INVALID', None, f'Not a well-formed v1 bundle: {type(e).__name__} {e}',
                             exit=2)
            out['stage'] = 'matched-v1'
        elif fmt == FORMAT_V2:
            info['format'] = FORMAT_V2
            if value.get('view') in ('public', 'full'):
                out['view'] = value['view']
            v = VerifierV2(value)
            try:
                v.run()
            finally:
                info.update(v.info)
                out['stage'], out['view'] = info.get('stage'), info.get('view', out['view'])
        else:
            what = 'the top level is not an object' if type(value) is not dict else \
                'no string member format' if type(fmt) is not str else f'format {show(fmt)}'
            raise Reject('BUNDLE_FORMAT_UNKNOWN', None, f'Not a choucha draw bundle ({what})', exit=2)
    except Reject as r:
        out.update(verdict='unreadable' if r.exit == 2 else 'rejected', exit=r.exit, code=r.code,
                   path=r.path, message=r.message)
        out['error'] = r
    except Exception as e:  # a bug of this verifier: say so, never "verified"
        out.update(verdict='rejected', exit=1, code='VERIFIER_ERROR', message=f'{type(e).__name__}: {e}')
        out['error'] = Reject('VERIFIER_ERROR', None, out['message'])
    out['info'] = info
    return out


def seed_source_text(c):
    parts = []
    ss = c['seedSource']
    if ss['dice'] is not None:
        parts.append(f'dice ({ss["dice"]["digits"]} digits)')
    if ss['drand'] is not None:
        chain = CHAINS.get(ss['drand']['chainHash'], {}).get('name', ss['drand']['chainHash'])
        parts.append(f'drand {chain} round {ss["drand"]["round"]}')
    return ' + '.join(parts)


def print_human(res, bundle_name=None):
    info, r = res['info'], res.get('error')
    if bundle_name:
        print(f'== {res["file"]}')
    if info.get('format') == FORMAT_V1:
        if r is not None and r.has_values:
            print(f'MISMATCH at {r.path}: bundle has {show(r.actual)}, recomputation gives {show(r.expected)}')
        elif 'summary' in info:
            print(info['summary'])
            print(BLS_LINE)
    elif info.get('format') == FORMAT_V2 and 'stage' in info:
        view = info['view']
        print(f'algorithm:       {ALGORITHM_V2} ({FORMAT_V2})')
        print(f'commitment hash: {info["commitmentHash"]}')
        print('view:            ' + ('full (supervisor)' if view == 'full' else
                                     'public (not checked without the full view: the strata of entities, the '
                                     'unselected tickets, the pool and exclusions from the inspectors)'))
        print(f'stage:           {info["stage"]}')
        print(f'attempt:         {info["attempt"]}' +
              (f' (predecessor {info["predecessor"]})' if info['predecessor'] else ''))
        print(f'seed source:     {info["seedSource"]}')
        if 'seed' in info:
            print(f'seed:            {info["seed"]}')
        if 'strata' in info:
            print('strata:          ' + ', '.join(f'{l} {n} → {k}' for l, n, k in info['strata']))
        if 'targets' in info:
            print(f'targets:         {info["targets"]}')
        if 'teams' in info:
            print(f'teams:           {info["teams"]}')
        if 'infeasible' in info:
            print(f'infeasible:      {info["infeasible"]} (target, department) pairs')
        if info['drand']:
            print(BLS_LINE)
        else:
            print('BLS signature: none (no drand round in the seed source)')
        if info.get('supersededBy'):
            print(f'superseded by:   {info["supersededBy"]} (a claim of the services; not checked)')
    if r is None:
        print('verified' + (f' ({res["stage"]})' if res['stage'] and res['stage'] != 'matched-v1' else ''))
        return
    print('NOT verified')
    if r.code:
        print(f'code:     {r.code}')
    if r.path:
        print(f'path:     {r.path}')
    if r.has_values:
        print(f'found:    {show(r.actual)}')
        print(f'expected: {show(r.expected)}')
    print(f'message:  {r.message}')


def main(argv):
    as_json = False
    files = []
    for a in argv:
        if a == '--json':
            as_json = True
        elif a in ('-h', '--help'):
            print(__doc__)
            return 0
        else:
            files.append(a)
    if not files:
        print('usage: verify.py [--json] BUNDLE.json [BUNDLE.json …]', file=sys.stderr)
        return 2
    worst = 0
    for n, f in enumerate(files):
        res = verify_file(f)
        worst = max(worst, res['exit'])
        if as_json:
            line = {k: res[k] for k in ('file', 'verdict', 'exit', 'code', 'path', 'message', 'stage', 'view',
                                        'blsChecked')}
            print(json.dumps(line), flush=True)  # ASCII: one line whatever the message holds (U+2028 …)
        else:
            if n:
                print()
            print_human(res, bundle_name=len(files) > 1)
    return worst


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
