#!/usr/bin/env python3
"""Reference verifier for choucha-draw-v1 bundles (docs/specs/draw-protocol.md), standard library only.
Recomputes rosterRoot, the commitment hash, the strata sizes, the seed, every ticket, the selection
and the teams. It does NOT verify the drand BLS signature (only randomness == SHA-256(signature));
check the beacon itself with any drand client. Usage: verify.py BUNDLE.json -> exit 0, or 1 + first difference."""
import hashlib, json, sys
from collections import Counter

def H(b): return hashlib.sha256(b).digest()
def canon(v): return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(',', ':'))
def fail(path, exp, act):
    print(f'MISMATCH at {path}: bundle has {json.dumps(act, ensure_ascii=False)}, '
          f'recomputation gives {json.dumps(exp, ensure_ascii=False)}'); sys.exit(1)
def diff(e, a, p):
    if type(e) is list and type(a) is list:
        for i, (x, y) in enumerate(zip(e, a)): diff(x, y, f'{p}[{i}]')
        if len(e) != len(a): fail(p + '.length', len(e), len(a))
    elif type(e) is dict and type(a) is dict:
        for k in sorted(set(e) | set(a)): diff(e.get(k), a.get(k), f'{p}.{k}')
    elif type(e) is not type(a) or e != a: fail(p, e, a)

def main(path):
    b = json.load(open(path, encoding='utf-8')); c = b['commitment']; src = c['seedSource']; si = b['seedInputs']
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
    print(f'OK: commitment {b["commitmentHash"]}, seed {seed.hex()}, {len(teams)} targets verified (BLS signature not checked)')

if __name__ == '__main__': main(sys.argv[1])
