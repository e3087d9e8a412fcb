/** A square pulse in a command waveform: sample indices and amplitude above the holding level. */
export interface SquarePulse {
  start: number;
  /** Exclusive end. */
  stop: number;
  amplitude: number;
}

/**
 * Square pulses from a command (neuroanalysis find_square_pulses): segments where the value
 * departs from the holding level, taken as the first sample. Steps smaller than `tolerance`
 * count as flat, so a DAC's float noise does not split pulses.
 */
export function findSquarePulses(command: ArrayLike<number>, tolerance = 1e-13): SquarePulse[] {
  const pulses: SquarePulse[] = [];
  const n = command.length;
  if (n === 0) return pulses;
  const holding = command[0]!;
  let start = -1;
  let level = holding;
  for (let i = 1; i <= n; i++) {
    // Most samples repeat the level exactly: a tight scan past them, no subtraction and abs each.
    while (i < n && command[i] === level) i++;
    const v = i < n ? command[i]! : holding;
    if (Math.abs(v - level) <= tolerance) continue;
    if (start >= 0) pulses.push({ start, stop: i, amplitude: level - holding });
    start = Math.abs(v - holding) > tolerance ? i : -1;
    level = v;
  }
  return pulses;
}

/**
 * Presynaptic stimulus pulses: positive pulses, skipping the inserted test pulse (the first
 * pulse, when negative or much longer than a drive pulse) as aisynphys' stim_pulse does.
 */
export function findStimPulses(command: ArrayLike<number>, rate: number, tolerance?: number): SquarePulse[] {
  return stimPulsesOf(findSquarePulses(command, tolerance), rate);
}

/** findStimPulses on pulses already found (one scan of the command serves both kinds). */
export function stimPulsesOf(pulses: SquarePulse[], rate: number): SquarePulse[] {
  return pulses.filter((p, i) => {
    if (p.amplitude <= 0) return false;
    const isTestPulse = i === 0 && (p.stop - p.start) / rate >= 0.005 && pulses.length > 1;
    return !isTestPulse;
  });
}

/** The test pulse: the first negative pulse (hyperpolarising, as inserted by the acquisition software). */
export function findTestPulse(command: ArrayLike<number>): SquarePulse | undefined {
  return testPulseOf(findSquarePulses(command));
}

export function testPulseOf(pulses: SquarePulse[]): SquarePulse | undefined {
  return pulses.find((p) => p.amplitude < 0);
}
