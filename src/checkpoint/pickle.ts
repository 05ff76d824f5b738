/**
 * A restricted unpickler: the binary opcodes of protocols 2 to 5 that a torch state dict uses,
 * and nothing that can reach Python. GLOBAL/STACK_GLOBAL resolve only names in the caller's
 * allow-list, each bound to a JS implementation; REDUCE calls only those; BUILD applies only to
 * objects they made. Everything else is refused at the opcode that asks for it, before anything
 * further is read, so a hostile pickle fails where it starts to be hostile.
 *
 * This module is its public face: the values (pickle-values.ts), the opcode table
 * (pickle-opcodes.ts), the operand reader (pickle-input.ts) and the machine (pickle-machine.ts).
 */
import { Unpickler, type UnpickleOptions } from './pickle-machine.js';
import type { PickleValue } from './pickle-values.js';

export { MAX_MARK_DEPTH, MAX_MEMO_ENTRIES, MAX_STACK_ITEMS, type UnpickleOptions } from './pickle-machine.js';
export {
  GlobalRef, PickleObject, PickleTuple, describePickleValue,
  type PickleCallable, type PickleDict, type PickleGlobal, type PickleKey, type PickleValue,
} from './pickle-values.js';

export function unpickle(data: Uint8Array, options: UnpickleOptions): PickleValue {
  return new Unpickler(data, options).run();
}
