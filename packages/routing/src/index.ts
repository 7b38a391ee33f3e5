export * from "./checks/index.ts";
export { chooseRoute } from "./choose-route.ts";
export * from "./confidence/index.ts";
export {
  countMessageTokens,
  countTokens,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY_PRIMING,
  warmUpTokenCounter,
} from "./count-tokens.ts";
export { eligibleDeployments } from "./eligible-deployments.ts";
export type { ChatMessage, ResponseFormat, ResponseFormatType } from "./request-types.ts";
export type { RouteDecision, RouteFacts, RouteRefusal, RouteRequirements } from "./route-types.ts";
