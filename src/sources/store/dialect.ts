/** The two databases the store runs on. Its own module so that migrations and the opener need not import each other. */
export type StoreDialect = 'sqlite' | 'postgres';
