/*
 * An ACPI device for the APMT tests (tests/qemu/acpi_arm_cspmu.sh), added
 * to QEMU's ACPI tables through the initrd (ACPI table upgrade): what an
 * APMT node of type "ACPI device" names by _HID and _UID. Its _DSD gives
 * the PMU's instance ID; its memory resource is where NVIDIA's PCIe-TGT PMU
 * has its address filters, a page of the ivshmem BAR that firmware puts at
 * 0x8000000000 (the test checks it is still there).
 */
DefinitionBlock ("", "SSDT", 2, "ARMATR", "CSPMUDEV", 1)
{
    Scope (\_SB)
    {
        Device (PMU0)
        {
            Name (_HID, "ARMT0001")
            Name (_UID, 3)
            Name (_CRS, ResourceTemplate ()
            {
                QWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed, NonCacheable,
                    ReadWrite, 0, 0x8000080000, 0x8000080FFF, 0, 0x1000)
            })
            Name (_DSD, Package ()
            {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package () { Package () { "instance_id", 5 } }
            })
        }
    }
}
