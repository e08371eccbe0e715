// Types for scripts/dist.mjs (plain JavaScript so that bin/qbo-export can use it before any loader exists).
export declare const repoRoot: string;
export declare const distDir: string;
export declare const stampFile: string;
export declare const buildInputs: readonly string[];
export declare function newestInputMtime(root?: string): number;
export declare function distIsCurrent(root?: string): boolean;
