export { createCoordinatorService, type CoordinatorService, type CoordinatorChannel, type Coordinator } from './coordinatorService';
export { createBoardRoutes } from './boardRoutes';
export { createMashCredentialsAlert, createServiceAlert, createStoreResetAlert, mashCredentialsAlertKey, storeResetAlertKey } from './storeResetAlert';
