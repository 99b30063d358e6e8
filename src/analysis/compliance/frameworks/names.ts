/** The framework views' names, without the views (which load the kube-bench definitions when a view is built). */
export const FRAMEWORKS = ['cis', 'nsa', 'mitre', 'pss-baseline', 'pss-restricted'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** The CIS benchmark whose numbering the rules' `compliance.cis` ids follow. */
export const RULES_CIS_BENCHMARK = 'cis-1.10';
/** The benchmark of the CIS view unless the caller chooses one. */
export const DEFAULT_CIS_BENCHMARK = 'cis-1.12';
