export { AnonymousCountsRepository, AnonymousMetric } from './anonymous-counts.repository';
export { ErasureService } from './erasure.service';
export { KeyRotationService } from './key-rotation.service';
export type { RotationReport } from './key-rotation.service';
export { PrivacyModule } from './privacy.module';
export { PRIVACY_SETTINGS, privacySettings } from './privacy.settings';
export type { PrivacySettings } from './privacy.settings';
export { RetentionService } from './retention.service';
export type { RetentionReport } from './retention.service';
