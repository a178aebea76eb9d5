interface ImportMetaEnv {
  /** The mock gateway's HTTP endpoint; `npm start` sets it from GATEWAY_PORT. */
  readonly VITE_GATEWAY_URL?: string
}
