/**
 * A refusal raised while unpickling (by the opcode loop, the allow-listed globals or the persistent-id
 * loader); the unpickler turns it into a CheckpointError naming the file, entry and byte. Anything
 * else thrown there is a bug and is kept as the CheckpointError's `cause`.
 */
export class PickleRefusal extends Error {}
