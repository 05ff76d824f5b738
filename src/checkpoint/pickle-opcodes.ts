/**
 * The binary opcodes of pickle protocols 2 to 5 that a torch state dict uses; the restricted
 * unpickler refuses every opcode not named here.
 */
export const OP = {
  MARK: 0x28, STOP: 0x2e, EMPTY_TUPLE: 0x29, EMPTY_LIST: 0x5d, EMPTY_DICT: 0x7d,
  TUPLE: 0x74, TUPLE1: 0x85, TUPLE2: 0x86, TUPLE3: 0x87,
  APPEND: 0x61, APPENDS: 0x65, SETITEM: 0x73, SETITEMS: 0x75,
  BININT: 0x4a, BININT1: 0x4b, BININT2: 0x4d, LONG1: 0x8a, BINFLOAT: 0x47,
  NONE: 0x4e, NEWTRUE: 0x88, NEWFALSE: 0x89,
  BINUNICODE: 0x58, SHORT_BINUNICODE: 0x8c, BINUNICODE8: 0x8d, BINBYTES: 0x42, SHORT_BINBYTES: 0x43,
  BINPUT: 0x71, LONG_BINPUT: 0x72, BINGET: 0x68, LONG_BINGET: 0x6a, MEMOIZE: 0x94,
  GLOBAL: 0x63, STACK_GLOBAL: 0x93, REDUCE: 0x52, BUILD: 0x62, BINPERSID: 0x51,
  PROTO: 0x80, FRAME: 0x95,
} as const;
