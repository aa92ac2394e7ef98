export { createBoardRoutes } from './boardRoutes';
export { createMashCredentialsAlert, createServiceAlert, createStoreResetAlert, mashCredentialsAlertKey, storeResetAlertKey } from './storeResetAlert';
