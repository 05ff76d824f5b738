/** Every property name a JSON Schema declares, at any depth: what docs/report-schema.md must document. */
export function schemaFieldNames(schema: unknown): Set<string> {
  const fields = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties') Object.keys(v as object).forEach((f) => fields.add(f));
        collect(v);
      }
    }
  };
  collect(schema);
  return fields;
}
