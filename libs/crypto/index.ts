export { MasterKey, KeyUnwrapError, loadOrCreateMasterKeyFile } from './src/master-key.js';
export { DATA_KEY_SCHEMA, DATA_KEY_STORE, DataKeyDestroyedError, SqlDataKeyStore, type DataKeyStore } from './src/data-key-store.js';
export {
  DecryptionError,
  PersonalDataCipher,
  isEncryptedValue,
  openWithKey,
  sealWithKey,
  type DecryptedValue,
  type EncryptedValue,
} from './src/personal-data-cipher.js';
