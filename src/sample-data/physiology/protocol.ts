/** The sweep protocol: a test pulse on every channel, then a probe train on the presynaptic one. */
export const PROTOCOL = {
  testPulseStart: 0.02,
  testPulseDuration: 0.04,
  testPulseAmplitude: -20e-12,
  trainStart: 0.3,
  trainPulses: 8,
  trainFrequency: 50,
  recoveryDelay: 0.25,
  recoveryPulses: 4,
  pulseDuration: 0.002,
} as const;

/** Test pulse start (s): at 20 ms, or ending `gap` before the train. */
export function testPulseStart(gap: number | null): number {
  return gap === null ? PROTOCOL.testPulseStart : PROTOCOL.trainStart - gap - PROTOCOL.testPulseDuration;
}

/** Onset times (s) of the 12 presynaptic drive pulses. */
export function trainPulseTimes(): number[] {
  const p = PROTOCOL;
  const times: number[] = [];
  for (let i = 0; i < p.trainPulses; i++) times.push(p.trainStart + i / p.trainFrequency);
  const lastTrain = times[times.length - 1]!;
  for (let i = 0; i < p.recoveryPulses; i++) times.push(lastTrain + p.recoveryDelay + i / p.trainFrequency);
  return times;
}

/** Writes a square pulse into a command array, sample-aligned like a DAC would. */
export function addSquarePulse(
  command: Float32Array,
  rate: number,
  start: number,
  duration: number,
  amplitude: number,
): void {
  const i0 = Math.round(start * rate);
  const i1 = Math.min(command.length, i0 + Math.round(duration * rate));
  for (let i = i0; i < i1; i++) command[i]! += amplitude;
}
