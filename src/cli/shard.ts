// `--shard k/n` for commander: the text check lives with the shard logic in src/run/shard.ts.
import { InvalidArgumentError } from 'commander';
import { parseShard as parseShardText, type Shard } from '../run/shard.js';

export { shardLabel, type Shard } from '../run/shard.js';

export function parseShard(raw: string): Shard {
  try {
    return parseShardText(raw);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}
