/** Git analytics: code-maat analyses, hotspots, knowledge, co-changes, commit stats, DORA. */
export {};
