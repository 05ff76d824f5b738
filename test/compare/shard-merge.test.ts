import path from 'node:path';
import { shardMergeTests } from '../helpers/shard-merge-suite.js';

shardMergeTests((work) => path.join(work, 'cache'), 'a local cache folder');
