import { InvalidArgumentError, Option } from 'commander';
import { localCodecEndpoint } from '../gateway/gateway-config';

/** `--ui-codec-endpoint` of the commands that start a Web UI. */
export function uiCodecEndpointOption(): Option {
  return new Option(
    '--ui-codec-endpoint <url>',
    "codec endpoint the Web UI decodes payloads with (default: the gateway's /codec on this host when GATEWAY_CODEC_TOKEN is set)",
  ).argParser((value) => {
    if (!/^https?:\/\/[^/]/.test(value)) throw new InvalidArgumentError(`expected an http(s) URL, got "${value}"`);
    return value.replace(/\/+$/, '');
  });
}

/** The endpoint a Web UI is pointed at: the option, else the gateway this environment configures, if it serves one. */
export const uiCodecEndpoint = (option: string | undefined): string | undefined => option ?? localCodecEndpoint();

export interface WebUiCodecSteps {
  endpoint: string;
  webUi: string;
  /** Where the operator finds the codec token. */
  token: string;
  /** The gateway is configured elsewhere: remind that it must accept the Web UI's origin. */
  corsReminder: boolean;
  /** The UI server cannot be told to send cookies (`temporal server start-dev` has no flag for it). */
  browserSetting: boolean;
}

/** What an operator does once so a Web UI shows decoded payloads (README: payload encryption). */
export function webUiCodecSteps(steps: WebUiCodecSteps): string {
  const origin = new URL(steps.webUi).origin;
  return [
    `Decoded payloads in the Web UI: sign this browser in once at ${steps.endpoint}/login with ${steps.token}`,
    ...(steps.corsReminder ? [`  (the gateway must list ${origin} in GATEWAY_CODEC_CORS_ORIGINS)`] : []),
    ...(steps.browserSetting
      ? [
          `  then in the Web UI's Codec Server panel (the glasses button) pick "Use my browser setting and ignore`,
          `  Cluster-level setting.", enter ${steps.endpoint}, switch on "Include cross-origin credentials" and`,
          '  Apply (this UI server cannot be told to send cookies).',
        ]
      : []),
  ].join('\n');
}
