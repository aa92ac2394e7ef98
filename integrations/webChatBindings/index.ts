export { createWebChatBindings, webChatBindingRefreshMs, webChatBindingSchema, type WebChatBinding, type WebChatBindings } from './webChatBindings';
