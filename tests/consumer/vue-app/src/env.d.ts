// What Vite's client types would give; this host keeps "types" empty to prove the package needs none.
interface ImportMetaEnv {
  readonly DEV: boolean
}
interface ImportMeta {
  readonly env: ImportMetaEnv
}
