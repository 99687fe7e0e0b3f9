// The save-state badge rules.

import assert from "node:assert/strict";
import { test } from "node:test";
import { deriveSaveStatus, saveStatusText, type SaveStatusInput } from "./saveStatus.ts";

const base: SaveStatusInput = {
  saved: false,
  connected: false,
  browserOnline: true,
  unsavedChanges: false,
  nextAttemptAt: null,
  failedAttempts: 0,
  now: 10_000,
};
const label = (patch: Partial<SaveStatusInput>) => saveStatusText(deriveSaveStatus({ ...base, ...patch }));

test("connected: Saved once acknowledged, Saving… before", () => {
  assert.equal(label({ connected: true, saved: true }), "Saved");
  assert.equal(label({ connected: true, unsavedChanges: true }), "Saving…");
});

test("no socket: Offline when the browser is offline or changes are unacknowledged; 'kept' only when there are changes", () => {
  assert.equal(label({ browserOnline: false }), "Offline");
  assert.equal(label({ browserOnline: false, nextAttemptAt: 12_000 }), "Offline");
  assert.equal(label({ browserOnline: false, unsavedChanges: true }), "Offline — changes kept on this device");
  assert.equal(label({ unsavedChanges: true, nextAttemptAt: 12_000 }), "Offline — changes kept on this device");
});

test("no socket, nothing unsaved: a countdown to the next attempt, rounded up", () => {
  assert.equal(label({ nextAttemptAt: 12_000, failedAttempts: 3 }), "Reconnecting in 2 s");
  assert.equal(label({ nextAttemptAt: 12_001, failedAttempts: 3 }), "Reconnecting in 3 s");
  assert.equal(label({ nextAttemptAt: 10_100, failedAttempts: 1 }), "Reconnecting in 1 s");
  assert.equal(label({ nextAttemptAt: 9_000, failedAttempts: 1 }), "Reconnecting in 1 s");
});

test("an attempt in flight: Saving… for the first connection, Offline after a failure", () => {
  assert.equal(label({}), "Saving…");
  assert.equal(label({ failedAttempts: 2 }), "Offline");
});
