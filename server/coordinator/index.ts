export { createCoordinatorService, type CoordinatorService, type CoordinatorChannel, type Coordinator } from './coordinatorService';
export { createBoardRoutes } from './boardRoutes';
export { createStoreResetAlert, storeResetAlertKey } from './storeResetAlert';
