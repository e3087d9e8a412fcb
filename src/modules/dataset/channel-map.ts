import { BadInputError } from '../../errors/index.js';
import type { NwbFile } from '../../nwb/index.js';

export interface ElectrodeRow {
  id: number;
  ext_id: string;
  device_id: number;
  got_data: boolean;
  cell_id: number | null;
}

/**
 * Maps the file's channels to the experiment's pipettes by AD channel (pipettes.yml
 * `ad_channel` = the NWB headstage number). A channel nobody patched, or a pipette that says
 * it recorded but has no series, means the metadata and the file disagree: bad input.
 */
export function mapChannels(file: string, nwb: NwbFile, electrodes: ElectrodeRow[]): Map<number, ElectrodeRow> {
  const byChannel = new Map(electrodes.map((e) => [e.device_id, e]));
  const seen = new Set<number>();
  for (const sweep of nwb.sweeps) {
    for (const channel of sweep.channels) {
      if (channel.adChannel === null)
        throw new BadInputError(
          file,
          `series ${channel.response.path} has no AD channel number (electrode ${channel.electrode})`,
        );
      if (!byChannel.has(channel.adChannel))
        throw new BadInputError(
          file,
          `channel ${channel.adChannel} (electrode ${channel.electrode}) has no pipette with that ad_channel in pipettes.yml`,
        );
      seen.add(channel.adChannel);
    }
  }
  for (const e of electrodes) {
    if (e.got_data && !seen.has(e.device_id))
      throw new BadInputError(
        file,
        `pipette ${e.ext_id} (ad_channel ${e.device_id}) has got_data but the file has no series for channel ${e.device_id}`,
      );
  }
  return byChannel;
}
