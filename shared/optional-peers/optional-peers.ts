/**
 * What the package needs only for a feature a team may not use: optional peer dependencies, each
 * listed with the feature that needs it, so a team that deploys without that feature installs none
 * of it. The versions the package is tested with; a test keeps them equal to this repository's.
 */
export const OPTIONAL_PEERS = {
  /** Local mode's embedded services and the console's charts. */
  local: {
    feature: 'guarded-agents/local',
    why: "local mode's embedded services are optional peer dependencies (a deployment needs none of them)",
    dev: true,
    // Local mode keeps every run's trace for the console: its command installs tracing's peers too.
    alsoNeeds: ['tracing'],
    packages: {
      dynalite: '4.0.0',
      s3rver: '3.7.1',
      'aws-ses-v2-local': '2.10.2',
      'aws-local-stepfunctions': '3.0.0',
      uplot: '1.6.32',
    },
  },
  /** The OpenTelemetry SDK: a GuardedAgent's `tracing`, `guarded-agents/tracing`, and local mode's traces. */
  tracing: {
    feature: 'tracing',
    why: 'the OpenTelemetry SDK and exporters are optional peer dependencies (functions without tracing carry none of them)',
    dev: false,
    alsoNeeds: [],
    packages: {
      '@opentelemetry/context-async-hooks': '3.1.0',
      '@opentelemetry/core': '3.1.0',
      '@opentelemetry/exporter-trace-otlp-http': '0.301.0',
      '@opentelemetry/exporter-trace-otlp-proto': '0.301.0',
      '@opentelemetry/otlp-transformer': '0.301.0',
      '@opentelemetry/resources': '3.1.0',
      '@opentelemetry/sdk-trace': '3.1.0',
    },
  },
  /** Cedar: a GuardedAgent's `policies` and `compilePolicies`. */
  policies: {
    feature: 'Cedar policies',
    why: "Cedar's engine is an optional peer dependency (a deployment without policies needs none of it)",
    dev: false,
    alsoNeeds: [],
    packages: { '@cedar-policy/cedar-wasm': '4.13.0' },
  },
  /** cdk-nag's rule packs: `attachNagPacks`, at synth only (the construct acknowledges through aws-cdk-lib alone). */
  nag: {
    feature: 'attachNagPacks',
    why: 'cdk-nag is an optional peer dependency (a synth without its checks needs none of it; nothing deployed carries it)',
    dev: true,
    alsoNeeds: [],
    packages: { 'cdk-nag': '3.0.2' },
  },
} as const;

/** A feature whose packages are optional peers. */
export type PeerFeature = keyof typeof OPTIONAL_PEERS;

/** One optional peer of a feature. */
export type PeerOf<F extends PeerFeature> = keyof (typeof OPTIONAL_PEERS)[F]['packages'] & string;

/** Any feature's optional peer. */
export type AnyPeer = { [F in PeerFeature]: PeerOf<F> }[PeerFeature];

/** Every optional peer, each with the version it is tested with. */
export const ALL_OPTIONAL_PEERS: Readonly<Record<string, string>> = Object.assign(
  {},
  ...Object.values(OPTIONAL_PEERS).map(({ packages }) => packages),
) as Record<string, string>;

/**
 * The one command that installs every peer of the features named, as dev dependencies if one of
 * them is only for development.
 *
 * @example
 * installCommand('policies'); // 'npm install @cedar-policy/cedar-wasm@4.13.0'
 */
export const installCommand = (...features: readonly PeerFeature[]): string => {
  const dev = features.some((feature) => OPTIONAL_PEERS[feature].dev);
  const packages = features.flatMap((feature) => Object.entries(OPTIONAL_PEERS[feature].packages));
  return `npm install ${dev ? '--save-dev ' : ''}${packages.map(([name, version]) => `${name}@${version}`).join(' ')}`;
};
