/** The part of wink-bm25-text-search's API the eval uses (the package ships no types). */
declare module 'wink-bm25-text-search' {
  interface WinkBm25 {
    defineConfig(config: { fldWeights: Record<string, number>; bm25Params?: { k1?: number; b?: number; k?: number } }): boolean;
    definePrepTasks(tasks: ((input: string) => string[])[], field?: string): number;
    addDoc(doc: Record<string, string>, id: string | number): number;
    consolidate(precision?: number): boolean;
    /** [id, score] pairs, best first; ids come back as strings. */
    search(text: string, limit?: number): [string, number][];
  }
  export default function bm25(): WinkBm25;
}
