// The import graph of src/ has no cycle and runs downhill (faces → run → domains → pool, heap,
// wasm; the pool imports no domain), as .dependency-cruiser.cjs states, so it stays true as code grows.
import { describe, it, expect } from 'vitest';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs');

describe('layering of src/ (dependency-cruiser)', () => {
  it('has no cycle and no import against the layers', async () => {
    const result = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[]; totalCruised: number } };
    const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
    expect(output.summary.totalCruised).toBeGreaterThan(50);
  }, 60_000);
});
