// @ts-check
/** The simulator's ids: fresh at every start, so stored state from an earlier run never answers; or seeded. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RealtimeKitSimulator } from '../../src/simulator/simulator.js';
import { isValidId } from '../../dist/api/ids.js';

/** Every id one start makes: the demo's meetings and recordings, and one started recording. */
function ids(/** @type {ConstructorParameters<typeof RealtimeKitSimulator>[0]} */ options) {
  const simulator = new RealtimeKitSimulator({ seed: true, ...options });
  const meeting = [...simulator.meetings.values()][0];
  assert.ok(meeting);
  simulator.startRecording(meeting.id);
  return [...simulator.meetings.keys(), ...simulator.recordings.keys()];
}

describe('simulator ids', () => {
  it('are new at every start: no id of one start is an id of another', () => {
    const first = ids({});
    const second = ids({});
    assert.equal(first.length, 5);
    assert.deepEqual(
      first.filter((id) => second.includes(id)),
      [],
    );
  });

  it('are the same at every start given the same seed, and others under another seed', () => {
    assert.deepEqual(ids({ idSeed: 7 }), ids({ idSeed: 7 }));
    assert.notDeepEqual(ids({ idSeed: 7 }), ids({ idSeed: 8 }));
    assert.equal(new Set(ids({ idSeed: 7 })).size, 5, 'distinct within a start');
  });

  it('are uuid-shaped and pass the id rule the server checks', () => {
    for (const id of [...ids({}), ...ids({ idSeed: 0 }), ...ids({ idSeed: 2 ** 48 - 1 })]) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(isValidId(id));
    }
  });

  it('refuses a seed that is not a whole number below 2^48', () => {
    for (const idSeed of [-1, 1.5, 2 ** 48, Number.NaN])
      assert.throws(() => new RealtimeKitSimulator({ idSeed }), /idSeed must be a whole number/);
  });
});
