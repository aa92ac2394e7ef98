export { factOf, readInsights } from './readInsights';
