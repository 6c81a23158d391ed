export { demoIsLoaded, loadDemo, DEMO_PASSWORD, ensureProductionSafe } from '@choucha/services';
