import { describe, expect, it } from 'vitest';
import { localParts, nextLocalTime, zonedTime } from '../../src/domain/time-zone.js';
import { quietUntil, parseQuietHours } from '../../src/workflows/channels/pressure.js';
import { unsubscribeToken, verifyUnsubscribeToken } from '../../src/workflows/channels/email/unsubscribe.js';
import { compileProgram } from '../../src/workflows/definition/program.js';
import { readSource } from '../../src/workflows/definition/source.js';
import { problems } from './refused.js';
import { listTemplates, templateDefinition } from '../../src/workflows/templates/install.js';
import { validateDefinition } from '../../src/workflows/definition/validate.js';


describe('workflow definitions', () => {
  it('names the step, the field and the line of every problem', () => {
    const msg = problems(`trigger:
  event: Checkout Started
  key: checkout_id
steps:
  - wait: 1 fortnight
  - id: reminder
    email:
      subjct: Hello
      text: hi
  - branch:
      if: total_spnt > 100
  - id: reminder
    exit: done
  - launch: rockets
`);
    expect(msg).toContain('flow.yaml: the workflow definition has 6 problems');
    expect(msg).toMatch(/line 5, step "1" \(steps\[0\]\.wait\): "1 fortnight": unknown unit "fortnight"/);
    expect(msg).toMatch(/line 8, step "reminder" \(steps\[1\]\.email\.subjct\): Unrecognized key/);
    expect(msg).toMatch(/line 8, step "reminder" \(steps\[1\]\.email\.subject\): is required/);
    expect(msg).toMatch(/line 11, step "3" \(steps\[2\]\.branch\.if\): "total_spnt > 100": unknown field `total_spnt`, did you mean `total_spent`/);
    expect(msg).toMatch(/line 12, step "reminder" \(steps\[3\]\.id\): the step id "reminder" is used twice/);
    expect(msg).toMatch(/line 14, step "5" \(steps\[4\]\): unknown step kind "launch"/);
  });

  it('refuses text that is neither JSON nor YAML, naming the line', () => {
    expect(problems('trigger: { event: "x"\nsteps: [')).toMatch(/^flow\.yaml:\d+:\d+: not valid JSON or YAML/);
  });

  it('reads JSON as well as YAML, with the same meaning', () => {
    const yaml = readSource('trigger: { entered: vip }\nsteps:\n  - wait: 2d\n  - exit: bye\n');
    const json = readSource(JSON.stringify({ trigger: { entered: 'vip' }, steps: [{ wait: '2d' }, { exit: 'bye' }] }));
    expect(json.format).toBe('json');
    expect(yaml.format).toBe('yaml');
    expect(json.definition).toEqual(yaml.definition);
  });

  it('flattens nested steps so each knows where the run goes next', () => {
    const r = validateDefinition({
      trigger: { event: 'X', key: 'cart_id' },
      steps: [
        { id: 'w', wait: { event: 'Order Completed', timeout: '1h', on_event: [{ exit: 'ordered' }] } },
        { id: 'b', branch: { if: 'orders_count > 1', then: [{ id: 't', tag: 'loyal' }] } },
        { id: 'end', exit: 'done' },
      ],
    });
    if (!('definition' in r)) throw new Error(JSON.stringify(r.issues));
    const p = compileProgram(r.definition);
    expect(p.first).toBe('w');
    const w = p.steps.get('w')!;
    expect(w.kind === 'wait_event' && w.key).toBe('cart_id'); // the trigger's key by default
    expect(p.steps.get('1.on_event.1')!.next).toBe('b');
    expect(p.steps.get('t')!.next).toBe('end');
    expect(p.steps.get('end')!.next).toBeNull();
  });

  it('makes a valid definition from every template, with parameters', () => {
    for (const t of listTemplates()) {
      const r = validateDefinition(templateDefinition(t.name, t.name === 'abandoned-cart' ? ['delay=30min', 'discount=10%'] : []));
      expect('definition' in r ? [] : r.issues).toEqual([]);
    }
    expect(() => templateDefinition('abandoned-cart', ['dealy=1h'])).toThrow(/no parameter "dealy"/);
  });
});

describe('time zones, quiet hours and unsubscribe tokens', () => {
  it('reads wall-clock times in the workspace zone across a clock change', () => {
    // Europe/Paris moved to summer time on 30 March 2025 at 02:00 (CET UTC+1 → CEST UTC+2).
    expect(zonedTime(2025, 3, 29, 9, 0, 'Europe/Paris').toISOString()).toBe('2025-03-29T08:00:00.000Z');
    expect(zonedTime(2025, 3, 31, 9, 0, 'Europe/Paris').toISOString()).toBe('2025-03-31T07:00:00.000Z');
    // 02:30 does not exist that night: it lands just after the gap, at 03:30 CEST.
    expect(zonedTime(2025, 3, 30, 2, 30, 'Europe/Paris').toISOString()).toBe('2025-03-30T01:30:00.000Z');
    // New York, 2 November 2025: 01:30 happens twice; the first is EDT (UTC-4).
    expect(zonedTime(2025, 11, 2, 1, 30, 'America/New_York').toISOString()).toBe('2025-11-02T05:30:00.000Z');
    expect(localParts(new Date('2025-03-30T23:30:00Z'), 'Asia/Tokyo')).toMatchObject({ month: 3, day: 31, hour: 8, weekday: 1 });
    // Next Monday 09:00 in Tokyo after Friday 2025-03-28 12:00 UTC: Monday 31 March 00:00 UTC.
    expect(nextLocalTime(new Date('2025-03-28T12:00:00Z'), { hour: 9, minute: 0 }, 'Asia/Tokyo', new Set([1])).toISOString()).toBe('2025-03-31T00:00:00.000Z');
  });

  it('holds email in quiet hours that wrap past midnight', () => {
    const q = parseQuietHours('21:00-08:00')!;
    expect(quietUntil(new Date('2025-06-01T20:59:00Z'), q, 'UTC')).toBeNull();
    expect(quietUntil(new Date('2025-06-01T21:00:00Z'), q, 'UTC')?.toISOString()).toBe('2025-06-02T08:00:00.000Z');
    expect(quietUntil(new Date('2025-06-02T07:59:00Z'), q, 'UTC')?.toISOString()).toBe('2025-06-02T08:00:00.000Z');
    // 21:30 in Paris (CEST) is 19:30 UTC.
    expect(quietUntil(new Date('2025-06-01T19:30:00Z'), q, 'Europe/Paris')?.toISOString()).toBe('2025-06-02T06:00:00.000Z');
    expect(() => parseQuietHours('9pm-8am')).toThrow(/HH:MM-HH:MM/);
  });

  it('accepts only unsubscribe tokens it signed, for the customer they name', () => {
    const claim = { customerId: 'cus_1', runId: 'run-1', stepId: 'reminder' };
    const token = unsubscribeToken('k1', claim);
    expect(verifyUnsubscribeToken('k1', token)).toEqual(claim);
    expect(verifyUnsubscribeToken('k2', token)).toBeUndefined();
    const other = unsubscribeToken('k1', { ...claim, customerId: 'cus_2' });
    expect(verifyUnsubscribeToken('k1', `${other.split('.')[0]}.${token.split('.')[1]}`)).toBeUndefined();
  });
});
